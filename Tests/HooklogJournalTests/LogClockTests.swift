import HooklogCore
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
        // Set back: the clock runs on from its highest reading, at half the rate.
        wallMs.withLock { $0 = 1_500_000 }
        let afterSetBack = clock.nowMs()
        #expect(afterSetBack >= 2_000_000)
        try await Task.sleep(for: .milliseconds(30))
        #expect(clock.nowMs() >= afterSetBack + 15)
        // Never earlier than the log's last stamp.
        clock.advance(toAtLeast: 5_000_000)
        #expect(clock.nowMs() >= 5_000_000)
        clock.advance(toAtLeast: 10)
        #expect(clock.nowMs() >= 5_000_000)
        // Caught up with: the wall clock again.
        wallMs.withLock { $0 = 9_000_000 }
        #expect(clock.nowMs() == 9_000_000)
    }

    /// A wall clock set back is caught up with: the service clock does not stay ahead of it.
    @Test func aWallClockSetBackCatchesUpWithIt() async throws {
        let start = ContinuousClock.now
        let wallAtStartMs: UInt64 = 1_000_000
        // A wall clock running as the monotonic one does, set back by 300 ms after its first reading.
        let setBackMs = Mutex<UInt64>(0)
        let wallClock = { @Sendable in wallAtStartMs + UInt64(start.duration(to: .now).inMilliseconds) - setBackMs.withLock { $0 } }
        let clock = LogClock(wallClock: wallClock)
        #expect(clock.nowMs() >= wallAtStartMs)
        setBackMs.withLock { $0 = 300 }
        #expect(clock.nowMs() > wallClock(), "ahead of the wall clock just set back")
        try await Task.sleep(for: .milliseconds(900))
        let wallMs = wallClock()
        let clockMs = clock.nowMs()
        // Caught up in twice the 300 ms; at the full rate it would still be 300 ms ahead.
        #expect(clockMs >= wallMs && clockMs < wallMs + 100, "\(clockMs - wallMs) ms ahead")
    }
}
