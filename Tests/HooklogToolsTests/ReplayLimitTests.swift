import Foundation
import HooklogCore
import HooklogJournal
import Testing

/// One replay is one command on the writer thread: past its limits it is refused whole, saying
/// where the limit was reached.
@Suite("Replay limits")
struct ReplayLimitTests {
    @Test func aReplayPastItsLimitsIsRefusedAndJournalsNothing() async throws {
        let clock = ManualClock(1_778_000_000_000)
        try await ToolsFixture.withStore(clock: clock) { fixture in
            let tenantId = try await fixture.tenant()
            _ = try await fixture.endpoint(of: tenantId)
            let sinceMs = clock.nowMs
            for index in 0..<6 {
                clock.set(sinceMs + UInt64(index) * 10)
                let event = try await fixture.post(Array("{\"index\":\(index)}".utf8), tenant: tenantId)
                // Three fail, three succeed: six in the window, three of them failed.
                try await fixture.attempt(event.deliveries[0].deliveryId, answering: index < 3 ? 503 : 200, retryDelaysMs: [])
            }
            let criteria = ReplayCriteria(sinceMs: sinceMs, untilMs: sinceMs + 60, statusFilter: .failed)
            let head = try LogReader(environment: fixture.store.environment).head()

            // The third failed delivery is one match too many; the sixth delivery one too many to look at.
            for (limits, splitAtMs) in [(ReplayLimits(maxMatchedCount: 2), sinceMs + 20), (ReplayLimits(maxScannedCount: 5), sinceMs + 50)] {
                let refused = try await #require(throws: ReplayError.self) {
                    try await fixture.store.requestReplay(tenantId: tenantId, criteria, limits: limits, nowMs: fixture.nowMs)
                }
                #expect(refused == .tooLarge(limits: limits, splitAtMs: splitAtMs))
                #expect(refused.description.contains("shorter windows"))
                await #expect(throws: ReplayError.tooLarge(limits: limits, splitAtMs: splitAtMs)) {
                    try await fixture.store.requestReplaysForEveryTenant(criteria, limits: limits, nowMs: fixture.nowMs)
                }
            }
            #expect(try LogReader(environment: fixture.store.environment).head() == head, "nothing journaled")

            let replay = try await fixture.store.requestReplay(
                tenantId: tenantId, criteria, limits: ReplayLimits(maxMatchedCount: 3, maxScannedCount: 6), nowMs: fixture.nowMs
            )
            #expect(replay.matched == 3, "at the limits, the replay goes ahead")
        }
    }

    /// The admin's replay across tenants spends one budget: two tenants within the limits each,
    /// past them together, get nothing journaled, not one of them replayed.
    @Test func anAdminReplayPastItsLimitsCountedOverEveryTenantJournalsNothing() async throws {
        try await ToolsFixture.withStore { fixture in
            let sinceMs = fixture.nowMs
            var tenantIds: [TenantID] = []
            for name in ["First", "Second"] {
                let tenantId = try await fixture.tenant(name)
                tenantIds.append(tenantId)
                _ = try await fixture.endpoint(of: tenantId)
                for index in 0..<3 {
                    let event = try await fixture.post(Array("{\"index\":\(index)}".utf8), tenant: tenantId)
                    try await fixture.attempt(event.deliveries[0].deliveryId, answering: 503, retryDelaysMs: [])
                }
            }
            let criteria = ReplayCriteria(sinceMs: sinceMs, untilMs: fixture.nowMs + 1, statusFilter: .failed)
            let head = try LogReader(environment: fixture.store.environment).head()
            for limits in [ReplayLimits(maxMatchedCount: 5), ReplayLimits(maxScannedCount: 5)] {
                let refused = try await #require(throws: ReplayError.self) {
                    try await fixture.store.requestReplaysForEveryTenant(criteria, limits: limits, nowMs: fixture.nowMs)
                }
                #expect(refused.splitAtMs != nil)
            }
            #expect(try LogReader(environment: fixture.store.environment).head() == head, "nothing journaled, for either tenant")

            let replays = try await fixture.store.requestReplaysForEveryTenant(
                criteria, limits: ReplayLimits(maxMatchedCount: 6, maxScannedCount: 6), nowMs: fixture.nowMs
            )
            #expect(Set(replays.replays.map(\.tenantId)) == Set(tenantIds) && replays.replays.allSatisfy { $0.matched == 3 })
        }
    }

    /// Offline, `hooklog resend` asks for a window past the configured limit in parts, each a
    /// replay of its own, and every delivery is scheduled once.
    @Test func anOfflineResendOfAWindowPastTheLimitIsJournaledInParts() async throws {
        let clock = ManualClock(1_778_000_000_000)
        try await ToolsFixture.withStore(clock: clock) { fixture in
            let tenantId = try await fixture.tenant()
            _ = try await fixture.endpoint(of: tenantId)
            var deliveryIds: [DeliveryID] = []
            for index in 0..<5 {
                clock.set(1_778_000_000_000 + UInt64(index) * 10)
                let event = try await fixture.post(Array("{\"index\":\(index)}".utf8), tenant: tenantId)
                deliveryIds.append(event.deliveries[0].deliveryId)
                try await fixture.attempt(event.deliveries[0].deliveryId, answering: 503, retryDelaysMs: [])
            }
            let configFile = fixture.path + "/limits.yaml"
            try Data("hooklog:\n  replayMaxDeliveries: 2\n".utf8).write(to: URL(fileURLWithPath: configFile))
            let resend = try await fixture.hooklog(
                "resend", "--since", "1778000000000", "--until", "1778000000050", "--config", configFile
            )
            #expect(resend.status == 0, "\(resend.output)")
            #expect(resend.output.contains("asked for in") && resend.output.contains("5 deliveries will be sent again"), "\(resend.output)")

            var replayCount = 0
            var scheduled: [DeliveryID: Int] = [:]
            for entry in try LogReader(environment: fixture.store.environment).entries(from: 1, limit: 1_000) {
                switch try Record(decoding: entry.payload) {
                case .replayRequested: replayCount += 1
                case .deliveryRetryScheduled(let retry) where retry.replayId != nil: scheduled[retry.deliveryId, default: 0] += 1
                default: break
                }
            }
            #expect(replayCount >= 3, "at most two deliveries a replay")
            #expect(scheduled == Dictionary(uniqueKeysWithValues: deliveryIds.map { ($0, 1) }), "each delivery once")
        }
    }
}
