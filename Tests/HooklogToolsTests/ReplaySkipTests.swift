import HooklogCore
@testable import HooklogJournal
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

            // Across tenants the same, though nothing is left to match now: the two just reopened
            // are waiting for the replay, and said to be, with the one still retrying.
            let again = try await fixture.store.requestReplaysForEveryTenant(criteria, nowMs: fixture.nowMs)
            #expect(again.replays.isEmpty && again.matched == 0)
            #expect(again.skipped.unfinishedCount == 3 && again.skipped.endpointDisabledCount == 3)
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

    /// A replay is found in a snapshot, off the writer, and journaled afterwards: the writer looks
    /// at each match again, so that a delivery another replay re-sent in between goes out once,
    /// and one whose endpoint was disabled in between not at all.
    @Test func whatChangesBetweenFindingAReplayAndJournalingItIsCheckedAgain() async throws {
        try await ToolsFixture.withStore { fixture in
            let store = fixture.store
            let tenantId = try await fixture.tenant()
            let resentMeanwhile = try await fixture.endpoint(of: tenantId)
            let disabledMeanwhile = try await fixture.endpoint(of: tenantId)
            let sinceMs = fixture.nowMs
            for index in 0..<2 {
                let event = try await fixture.post(Array("{\"index\":\(index)}".utf8), tenant: tenantId)
                for delivery in event.deliveries { try await fixture.attempt(delivery.deliveryId, answering: 503, retryDelaysMs: []) }
            }
            let criteria = ReplayCriteria(sinceMs: sinceMs, untilMs: fixture.nowMs + 1, statusFilter: .failed)
            let found = try await store.findReplay(tenantId: tenantId, criteria, limits: ReplayLimits())
            let foundForEveryTenant = try await store.findReplaysForEveryTenant(criteria, limits: ReplayLimits(), progress: { _, _ in })
            #expect(found.deliveryIds.count == 4 && foundForEveryTenant.byTenant.map(\.matches.deliveryIds.count) == [4])

            var onlyOne = criteria
            onlyOne.endpointId = resentMeanwhile
            #expect(try await store.requestReplay(tenantId: tenantId, onlyOne, nowMs: fixture.nowMs).matched == 2)
            #expect(try await store.disableEndpoint(disabledMeanwhile, reason: .byUser, nowMs: fixture.nowMs))

            let replay = try await store.command { writer, snapshot in
                try StoreCommands.appendReplay(tenantId: tenantId, criteria, found: found, nowMs: fixture.nowMs, writer: &writer, snapshot: snapshot)
            }
            #expect(replay.matched == 0, "re-sent by the other replay already, or to a disabled endpoint")
            #expect(replay.skipped.endpointDisabledCount == 2 && replay.skipped.unfinishedCount == 2, "the other replay's are waiting")
            let replays = try await store.command { writer, snapshot in
                try StoreCommands.appendReplays(foundForEveryTenant, criteria, nowMs: fixture.nowMs, writer: &writer, snapshot: snapshot)
            }
            #expect(replays.replays.isEmpty && replays.skipped.endpointDisabledCount == 2)

            var rescheduled: [DeliveryID: Int] = [:]
            for entry in try LogReader(environment: store.environment).entries(from: 1, limit: 1_000) {
                if case .deliveryRetryScheduled(let retry) = try Record(decoding: entry.payload), retry.replayId != nil { rescheduled[retry.deliveryId, default: 0] += 1 }
            }
            #expect(rescheduled.count == 2 && rescheduled.values.allSatisfy { $0 == 1 }, "each of the other replay's deliveries once")
        }
    }

    /// A window is searched a few deliveries per snapshot: step by step it finds what one look
    /// finds, each delivery once, and spends its budget over every step.
    @Test func aSearchInStepsFindsEachDeliveryOnceAndSpendsOneBudget() async throws {
        try await ToolsFixture.withStore { fixture in
            let tenantId = try await fixture.tenant()
            _ = try await fixture.endpoint(of: tenantId)
            let sinceMs = fixture.nowMs
            var failed: [DeliveryID] = []
            for index in 0..<7 {
                let event = try await fixture.post(Array("{\"index\":\(index)}".utf8), tenant: tenantId)
                let deliveryId = event.deliveries[0].deliveryId
                try await fixture.attempt(deliveryId, answering: index % 3 == 2 ? 200 : 503, retryDelaysMs: [])
                if index % 3 != 2 { failed.append(deliveryId) }
            }
            let criteria = ReplayCriteria(sinceMs: sinceMs, untilMs: fixture.nowMs + 1, statusFilter: .failed)
            var search = StoreCommands.ReplaySearch(tenantId: tenantId, criteria, budget: ReplayBudget(ReplayLimits(maxScannedCount: 7)))
            var stepCount = 0
            while !search.isDone {
                try fixture.store.read { try StoreCommands.continueSearch(&search, lookingAtMost: 2, snapshot: $0) }
                stepCount += 1
            }
            #expect(search.matches.deliveryIds == failed && stepCount == 4, "\(stepCount) steps")

            var overBudget = StoreCommands.ReplaySearch(tenantId: tenantId, criteria, budget: ReplayBudget(ReplayLimits(maxScannedCount: 6)))
            let error = try #require(throws: ReplayError.self) {
                while !overBudget.isDone {
                    try fixture.store.read { try StoreCommands.continueSearch(&overBudget, lookingAtMost: 2, snapshot: $0) }
                }
            }
            #expect(error.splitAtMs != nil)
        }
    }
}
