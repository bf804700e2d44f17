import HooklogJournal
import Synchronization
import Testing

@Suite("The service clock")
struct LogClockTests {
    @Test func itFollowsTheWallClockForwardsAndNeverGoesBack() async throws {
        let wallMs = Mutex<UInt64>(1_000_000)
        let clock = LogClock(wallClock: { wallMs.withLock { $0 } })
        #expect(clock.nowMs() >= 1_000_000)
        wallMs.withLock { $0 = 2_000_000 }
        #expect(clock.nowMs() == 2_000_000)
        // Set back: the clock runs on from its highest reading.
        wallMs.withLock { $0 = 1_500_000 }
        let afterSetBack = clock.nowMs()
        #expect(afterSetBack >= 2_000_000)
        try await Task.sleep(for: .milliseconds(30))
        #expect(clock.nowMs() >= afterSetBack + 30)
        // Never earlier than the log's last stamp.
        clock.advance(toAtLeast: 5_000_000)
        #expect(clock.nowMs() >= 5_000_000)
        clock.advance(toAtLeast: 10)
        #expect(clock.nowMs() >= 5_000_000)
        // Caught up with: the wall clock again.
        wallMs.withLock { $0 = 9_000_000 }
        #expect(clock.nowMs() == 9_000_000)
    }
}
