import HooklogCore
import HooklogJournal
import Testing

/// One replay is one command on the writer thread: past its limits it is refused whole.
@Suite("Replay limits")
struct ReplayLimitTests {
    @Test func aReplayPastItsLimitsIsRefusedAndJournalsNothing() async throws {
        try await ToolsFixture.withStore { fixture in
            let tenantId = try await fixture.tenant()
            _ = try await fixture.endpoint(of: tenantId)
            let sinceMs = fixture.nowMs
            for index in 0..<6 {
                let event = try await fixture.post(Array("{\"index\":\(index)}".utf8), tenant: tenantId)
                // Three fail, three succeed: six in the window, three of them failed.
                try await fixture.attempt(event.deliveries[0].deliveryId, answering: index < 3 ? 503 : 200, retryDelaysMs: [])
            }
            let criteria = ReplayCriteria(sinceMs: sinceMs, untilMs: fixture.nowMs + 1, statusFilter: .failed)
            let head = try LogReader(environment: fixture.store.environment).head()

            for limits in [ReplayLimits(maxMatchedCount: 2), ReplayLimits(maxScannedCount: 5)] {
                let refused = try await #require(throws: ReplayError.self) {
                    try await fixture.store.requestReplay(tenantId: tenantId, criteria, limits: limits, nowMs: fixture.nowMs)
                }
                #expect(refused == .tooLarge(limits: limits))
                #expect(refused.description.contains("shorter windows"))
                await #expect(throws: ReplayError.tooLarge(limits: limits)) {
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
                await #expect(throws: ReplayError.tooLarge(limits: limits)) {
                    try await fixture.store.requestReplaysForEveryTenant(criteria, limits: limits, nowMs: fixture.nowMs)
                }
            }
            #expect(try LogReader(environment: fixture.store.environment).head() == head, "nothing journaled, for either tenant")

            let replays = try await fixture.store.requestReplaysForEveryTenant(
                criteria, limits: ReplayLimits(maxMatchedCount: 6, maxScannedCount: 6), nowMs: fixture.nowMs
            )
            #expect(Set(replays.replays.map(\.tenantId)) == Set(tenantIds) && replays.replays.allSatisfy { $0.matched == 3 })
        }
    }
}
