import HooklogCore
import HooklogJournal
import Testing

/// A replay says what its window held but it did not re-send: an operator reading "matched 2"
/// after an outage learns that more are still retrying, or go to a disabled endpoint.
@Suite("Replay skips")
struct ReplaySkipTests {
    @Test func aReplayCountsTheDeliveriesItLeavesAloneAndWhy() async throws {
        try await ToolsFixture.withStore { fixture in
            let tenantId = try await fixture.tenant()
            let kept = try await fixture.endpoint(of: tenantId)
            let disabled = try await fixture.endpoint(of: tenantId)
            let sinceMs = fixture.nowMs
            for index in 0..<3 {
                // Each event goes to both endpoints.
                let event = try await fixture.post(Array("{\"index\":\(index)}".utf8), tenant: tenantId)
                for delivery in event.deliveries {
                    let stillRetrying = index == 2 && delivery.endpointId == kept
                    try await fixture.attempt(delivery.deliveryId, answering: 503, retryDelaysMs: stillRetrying ? [60_000] : [])
                }
            }
            #expect(try await fixture.store.disableEndpoint(disabled, reason: .byUser, nowMs: fixture.nowMs))
            let criteria = ReplayCriteria(sinceMs: sinceMs, untilMs: fixture.nowMs + 1, statusFilter: .failed)

            let replay = try await fixture.store.requestReplay(tenantId: tenantId, criteria, nowMs: fixture.nowMs)
            #expect(replay.matched == 2)
            // The delivery still retrying; not the endpoint.disabled notice to the other endpoint,
            // which has not been tried.
            #expect(replay.skipped.unfinishedCount == 1)
            #expect(replay.skipped.endpointDisabledCount == 3, "the disabled endpoint's failed deliveries")

            // Across tenants the same, though nothing is left to match now. The two just reopened
            // are waiting again but have not failed in this run: not counted as retrying.
            let again = try await fixture.store.requestReplaysForEveryTenant(criteria, nowMs: fixture.nowMs)
            #expect(again.replays.isEmpty && again.matched == 0)
            #expect(again.skipped.unfinishedCount == 1 && again.skipped.endpointDisabledCount == 3)
        }
    }

    /// An endpoint Hooklog disabled for failing too long cancels what was still retrying. Its
    /// owner fixes the receiver, enables it, and replays the failed: those cancelled deliveries
    /// come back too, not only the ones that ran out of retries. Deliveries the owner's own
    /// disabling cancelled stay cancelled.
    @Test func aFailedReplayResendsWhatHooklogsDisablingCancelledButNotTheOwners() async throws {
        try await ToolsFixture.withStore { fixture in
            let tenantId = try await fixture.tenant()
            let failing = try await fixture.endpoint(of: tenantId)
            let sinceMs = fixture.nowMs
            for index in 0..<3 {
                let event = try await fixture.post(Array("{\"index\":\(index)}".utf8), tenant: tenantId)
                // The first runs out of retries; the other two are still retrying.
                try await fixture.attempt(event.deliveries[0].deliveryId, answering: 503, retryDelaysMs: index == 0 ? [] : [60_000])
            }
            #expect(try await fixture.store.disableEndpoint(failing, reason: .failingTooLong, nowMs: fixture.nowMs))
            let dropped = try await fixture.endpoint(of: tenantId)
            let laterEvent = try await fixture.post(Array("{\"index\":3}".utf8), tenant: tenantId)
            try await fixture.attempt(laterEvent.deliveries[0].deliveryId, answering: 503, retryDelaysMs: [60_000])
            #expect(try await fixture.store.disableEndpoint(dropped, reason: .byUser, nowMs: fixture.nowMs))
            for endpointId in [failing, dropped] {
                _ = try await fixture.store.updateEndpoint(endpointId, tenantId: tenantId, EndpointChange(isEnabled: true), nowMs: fixture.nowMs)
            }
            let criteria = ReplayCriteria(sinceMs: sinceMs, untilMs: fixture.nowMs + 1, statusFilter: .failed)
            let replay = try await fixture.store.requestReplay(tenantId: tenantId, criteria, nowMs: fixture.nowMs)
            #expect(replay.matched == 3, "one failed, two cancelled by Hooklog's disabling; none of the owner's")
            #expect(replay.skipped.unfinishedCount == 0 && replay.skipped.endpointDisabledCount == 0)
        }
    }
}
