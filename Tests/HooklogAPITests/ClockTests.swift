import Foundation
import HooklogJournal
import HooklogTestSupport
import Testing

@Suite("Time after the wall clock is set back")
struct ClockTests {
    /// A clock that ran a day fast left the log's times a day ahead; corrected, the wall clock is
    /// behind the log. New deliveries, planned at the log's time, still go out at once.
    @Test(.timeLimit(.minutes(1)))
    func aDeliveryPlannedWhileTheWallClockIsBehindTheLogGoesOutAtOnce() async throws {
        let folder = NSTemporaryDirectory() + "hooklog-clock-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let dayMs: UInt64 = 86_400_000
        let fast = try await APIHarness.start(folder: folder, clock: { JournalConfiguration.wallClockMs() + dayMs })
        let key = try await fast.createTenant()
        await fast.stop(removingData: false)

        let corrected = try await APIHarness.start(folder: folder)
        _ = try await corrected.createEndpoint(key: key, path: "/hook")
        let event = try await corrected.postEvent(key: key)
        #expect(event.status == 202)
        let listed = try await corrected.waitFor("/v1/deliveries?status=succeeded", key: key, timeoutMs: 5_000) { $0.items.count == 1 }
        #expect(listed.items.count == 1, "the delivery waited for the wall clock to catch up with the log")
        // Signed with the wall clock's time, which receivers check: not the log's, a day ahead.
        let timestamp = try #require(corrected.receiver.requests(on: "/hook").first?.header("webhook-timestamp").flatMap { Int64($0) })
        #expect(abs(timestamp - Int64(Date().timeIntervalSince1970)) < 60)
        await corrected.stop()
    }
}
