import HooklogCore
import Testing

@Suite("Reducer: deliveries")
struct ReducerDeliveryTests {
    typealias F = Fixture

    @Test func plannedDeliveryIsPendingAndDueAtItsPlanningTime() throws {
        let ledger = try F.ledgerWithPendingDelivery()
        let delivery = try #require(try ledger.delivery(F.delivery))
        #expect(delivery.status == .pending)
        #expect(delivery.nextAttemptAtMs == 1_000)
        #expect(delivery.plannedSequence == 4)
        #expect(delivery.eventId == F.event && delivery.target == .endpoint(F.endpoint))
        #expect(ledger.due.map(\.dueAtMs) == [1_000])
        #expect(ledger.projections.count(in: .tenantDeliveries) == 1)
        #expect(ledger.projections.count(in: .endpointDeliveries) == 1)
        #expect(ledger.projections.count(in: .eventDeliveries) == 1)
    }

    @Test func waitingDeliveryIsDueUnderItsTargetToo() throws {
        var ledger = try F.ledgerWithPendingDelivery()
        let target = TargetKey(endpoint: F.endpoint)
        #expect(ledger.projections.value(in: .due, forKey: ProjectionKeys.due(.live, dueAtMs: 1_000, deliveryId: F.delivery)) == target.bytes)
        #expect(ledger.projections.entries(in: .targetDue).map(\.key) == [ProjectionKeys.targetDue(target, .live, dueAtMs: 1_000, deliveryId: F.delivery)])
        try ledger.append(F.started(), F.finished(status: 500), F.retry(dueAtMs: 6_234))
        let stored = try #require(ledger.projections.entries(in: .targetDue).first)
        let entry = try #require(ProjectionKeys.parseTargetDue(stored.key))
        #expect(entry.target == target && entry.lane == .live && entry.dueAtMs == 6_234 && entry.deliveryId == F.delivery)
        try ledger.append(F.started(attempt: 2, atMs: 6_300))
        #expect(ledger.projections.count(in: .targetDue) == 0)
    }

    /// A delivery a replay reopened waits in its target's replay lane, behind the live ones, for
    /// every attempt of the replay's run; retried by hand afterwards, in the live lane again.
    @Test func aReplayedDeliveryWaitsInItsTargetsReplayLane() throws {
        var ledger = try F.ledgerWithPendingDelivery()
        let target = TargetKey(endpoint: F.endpoint)
        let lanes = { (ledger: Ledger) in ledger.projections.entries(in: .targetDue).compactMap { ProjectionKeys.parseTargetDue($0.key)?.lane } }
        try ledger.append(F.started(), F.finished(status: 500), F.failed(), F.replayRequested())
        #expect(lanes(ledger).isEmpty)
        try ledger.append(F.retry(dueAtMs: 9_200, replay: F.replay))
        #expect(ledger.projections.entries(in: .targetDue).map(\.key) == [ProjectionKeys.targetDue(target, .replay, dueAtMs: 9_200, deliveryId: F.delivery)])
        try ledger.append(F.started(attempt: 2, atMs: 9_210, replay: F.replay), F.finished(attempt: 2, status: 500), F.retry(dueAtMs: 9_400))
        #expect(lanes(ledger) == [.replay], "its replay's retries wait in the replay lane too")
        try ledger.append(F.started(attempt: 3, atMs: 9_410, replay: F.replay), F.finished(attempt: 3, status: 500), F.failed(atMs: 9_500))
        try ledger.append(F.retry(dueAtMs: 9_600))
        #expect(lanes(ledger) == [.live], "retried by hand, it is live again")
    }

    /// One tenant's per-call URLs to one host share one target (one limit), however the origin
    /// is spelled; another host, port, scheme or tenant is another target.
    @Test func inlineTargetsKeyByTheirTenantAndOrigin() throws {
        func key(_ url: String, of tenant: TenantID = F.tenant) -> TargetKey { TargetKey(.inline(url: url), of: tenant) }
        let short = key("https://a.example/hook")
        let long = key("https://a.example/" + String(repeating: "x", count: 4_000))
        #expect(short.bytes.count == 33 && long.bytes.count == 33 && short == long)
        let spellings = [
            "HTTPS://A.example/hook?call=42#x", "https://a.example:443/other", "https://a.example./hook", "https://a.example?x=1",
            "https://user:pw@a.example/hook", "https://a.example.:443/hook",
        ]
        for same in spellings {
            #expect(key(same) == short, "\(same)")
        }
        for other in ["https://b.example/hook", "https://a.example:8443/hook", "http://a.example/hook", "https://a.example.evil/hook"] {
            #expect(key(other) != short, "\(other)")
        }
        #expect(key("https://a.example/hook", of: F.otherTenant) != short)
        #expect(key("https://[::1]:8443/x") == key("https://[::1]:8443/y") && key("https://[::1]:443/x") == key("https://[::1]/x"))
        // Bytes, not Unicode case mapping: ASCII letters only are folded, so that every build
        // keys a name the same; other letters are other bytes, as on the wire.
        #expect(key("https://B\u{FC}CHER.example/a") == key("https://b\u{FC}cher.example/b"))
        #expect(key("https://b\u{DC}cher.example/a") != key("https://b\u{FC}cher.example/a"))
        #expect(key("HTTPS://User@B\u{DC}CHER.Example.:443/x") == key("https://b\u{DC}cher.example/y"))
        #expect(key("https://a.example.:8443/x") == key("https://a.example:8443/y") && key("https://[::1]/x") != key("https://[::2]/x"))
        #expect(try TargetKey(decoding: short.bytes) == short)
        #expect(throws: RecordDecodingError.self) { try TargetKey(decoding: short.bytes.dropLast()) }
    }

    @Test func startedAttemptTakesTheDeliveryFromTheDueIndexIntoFlight() throws {
        var ledger = try F.ledgerWithPendingDelivery()
        try ledger.append(F.started())
        let delivery = try #require(try ledger.delivery(F.delivery))
        #expect(delivery.status == .inFlight)
        #expect(delivery.nextAttemptAtMs == nil)
        #expect(delivery.attempts == [AttemptSummary(number: 1, startedAtMs: 1_010, startedSequence: 5)])
        #expect(ledger.due.isEmpty)
        #expect(ledger.inFlight == [F.delivery])
    }

    @Test func finishedAttemptKeepsTheDeliveryInFlightUntilADecision() throws {
        var ledger = try F.ledgerWithPendingDelivery()
        try ledger.append(F.started(), F.finished(status: 503))
        let delivery = try #require(try ledger.delivery(F.delivery))
        #expect(delivery.status == .inFlight)
        #expect(delivery.attempts.last?.statusCode == 503)
        #expect(delivery.attempts.last?.finishedSequence == 6)
        #expect(ledger.inFlight == [F.delivery])
    }

    @Test func retryMakesTheDeliveryRetryingAndDueAtTheChosenTime() throws {
        var ledger = try F.ledgerWithPendingDelivery()
        try ledger.append(F.started(), F.finished(status: 500), F.retry(dueAtMs: 6_234))
        let delivery = try #require(try ledger.delivery(F.delivery))
        #expect(delivery.status == .retrying)
        #expect(delivery.nextAttemptAtMs == 6_234)
        #expect(ledger.due.map(\.dueAtMs) == [6_234])
        #expect(ledger.inFlight.isEmpty)
    }

    @Test func secondAttemptAfterARetryIsNumberedTwo() throws {
        var ledger = try F.ledgerWithPendingDelivery()
        try ledger.append(F.started(), F.finished(status: 500), F.retry(dueAtMs: 6_000), F.started(attempt: 2, atMs: 6_001))
        #expect(try ledger.delivery(F.delivery)?.attempts.map(\.number) == [1, 2])
        #expect(throws: ReducerError.attemptMismatch) { try ledger.append(F.finished(attempt: 1)) }
    }

    @Test func successFinishesTheDeliveryAndHealsItsEndpoint() throws {
        var ledger = try F.ledgerWithPendingDelivery()
        try ledger.append(F.started(), F.finished(status: 500), F.retry(dueAtMs: 2_000))
        #expect(try ledger.endpoint(F.endpoint)?.failingSinceMs == 1_050)
        try ledger.append(F.started(attempt: 2, atMs: 2_000), F.finished(attempt: 2, atMs: 2_100), F.succeeded(atMs: 2_101))
        let delivery = try #require(try ledger.delivery(F.delivery))
        #expect(delivery.status == .succeeded && delivery.finishedAtMs == 2_101)
        let endpoint = try #require(try ledger.endpoint(F.endpoint))
        #expect(endpoint.lastSuccessAtMs == 2_101 && endpoint.failingSinceMs == nil)
        #expect(ledger.due.isEmpty && ledger.inFlight.isEmpty)
    }

    @Test func failedAttemptStartsTheEndpointsFailingStreakOnlyOnce() throws {
        var ledger = try F.ledgerWithPendingDelivery()
        try ledger.append(F.started(), F.finished(atMs: 1_100, status: nil, error: .timeout), F.retry(dueAtMs: 2_000))
        try ledger.append(F.started(attempt: 2, atMs: 2_000), F.finished(attempt: 2, atMs: 2_500, status: 502))
        #expect(try ledger.endpoint(F.endpoint)?.failingSinceMs == 1_100)
    }

    /// 25 hours without a failure end a run of failures: an endpoint nobody sent to meanwhile (no
    /// traffic, or Hooklog stopped) was not seen failing, and a replay after it starts a new run.
    @Test func aFailureMoreThan25HoursAfterTheLastStartsANewRun() throws {
        let breakMs = EndpointState.failingRunBreakMs
        var ledger = try F.ledgerWithPendingDelivery()
        try ledger.append(F.started(), F.finished(atMs: 1_100, status: 503), F.retry(dueAtMs: 2_000))
        try ledger.append(F.started(attempt: 2, atMs: 2_000), F.finished(attempt: 2, atMs: 1_100 + breakMs, status: 503), F.retry(dueAtMs: 3_000 + breakMs))
        #expect(try ledger.endpoint(F.endpoint)?.failingSinceMs == 1_100, "a failure as long after the last one as a run allows keeps it")
        let lateAtMs = 1_100 + 2 * breakMs + 1
        try ledger.append(F.started(attempt: 3, atMs: lateAtMs - 10), F.finished(attempt: 3, atMs: lateAtMs, status: 503))
        let endpoint = try #require(try ledger.endpoint(F.endpoint))
        #expect(endpoint.failingSinceMs == lateAtMs && endpoint.lastFailureAtMs == lateAtMs)
    }

    /// A run of failures is over 25 hours after its latest failure, whether or not anything was
    /// sent since (what the API shows as `failing_since`); failures journaled out of time order
    /// still start the run at the earliest.
    @Test func aRunOfFailuresEnds25HoursAfterItsLatestFailureAndStartsAtItsEarliest() throws {
        let breakMs = EndpointState.failingRunBreakMs
        var ledger = try F.ledgerWithPendingDelivery()
        try ledger.append(F.started(), F.finished(atMs: 1_200, status: 503), F.retry(dueAtMs: 2_000))
        let second = DeliveryID(rawValue: 1_001)
        try ledger.append(F.planned(second), F.started(second, atMs: 1_010), F.finished(second, atMs: 1_100, status: 503))
        let endpoint = try #require(try ledger.endpoint(F.endpoint))
        #expect(endpoint.failingSinceMs == 1_100 && endpoint.lastFailureAtMs == 1_200)
        #expect(endpoint.failingSinceMs(asOfMs: 1_200 + breakMs) == 1_100)
        #expect(endpoint.failingSinceMs(asOfMs: 1_200 + breakMs + 1) == nil)
    }

    /// A failure journaled after a success that came after it, or after a quiet spell that came
    /// after it, belongs to no run going on.
    @Test func aFailureFromBeforeTheLatestSuccessOrQuietSpellStartsNoRun() throws {
        let breakMs = EndpointState.failingRunBreakMs
        let second = DeliveryID(rawValue: 1_001)
        var ledger = try F.ledgerWithPendingDelivery()
        try ledger.append(F.planned(second), F.started(), F.started(second, atMs: 1_010))
        try ledger.append(F.finished(atMs: 1_100, status: 200), F.succeeded(atMs: 1_101), F.finished(second, atMs: 1_050, status: 503))
        #expect(try ledger.endpoint(F.endpoint)?.failingSinceMs == nil, "it failed before the success")

        let third = DeliveryID(rawValue: 1_002)
        let fourth = DeliveryID(rawValue: 1_003)
        let lateMs = 1_100 + 3 * breakMs
        try ledger.append(F.planned(third, atMs: lateMs - 20), F.planned(fourth, atMs: lateMs - 20))
        try ledger.append(F.started(third, atMs: lateMs - 10), F.started(fourth, atMs: lateMs - 10))
        try ledger.append(F.finished(third, atMs: lateMs, status: 503), F.finished(fourth, atMs: 1_100 + breakMs, status: 503))
        let endpoint = try #require(try ledger.endpoint(F.endpoint))
        #expect(endpoint.failingSinceMs == lateMs && endpoint.lastFailureAtMs == lateMs, "the old failure does not reach across the quiet spell")
    }

    /// A success journaled after a later failure (the two attempts ran at once) leaves that
    /// failure's run going, from it, and never moves the latest success back.
    @Test func aSuccessJournaledAfterALaterFailureLeavesItsRunGoing() throws {
        let second = DeliveryID(rawValue: 1_001)
        var ledger = try F.ledgerWithPendingDelivery()
        try ledger.append(F.planned(second), F.started(), F.started(second, atMs: 1_010))
        try ledger.append(F.finished(second, atMs: 1_150, status: 503), F.finished(atMs: 1_100, status: 200), F.succeeded(atMs: 1_100))
        var endpoint = try #require(try ledger.endpoint(F.endpoint))
        #expect(endpoint.failingSinceMs == 1_150 && endpoint.lastFailureAtMs == 1_150 && endpoint.lastSuccessAtMs == 1_100)

        endpoint.noteSuccess(atMs: 2_000)
        endpoint.noteSuccess(atMs: 1_900)
        #expect(endpoint.lastSuccessAtMs == 2_000 && endpoint.failingSinceMs == nil, "a late success moves nothing back")
        // A run that started after a success it was journaled before goes on from its start.
        endpoint.noteFailure(atMs: 3_000)
        endpoint.noteFailure(atMs: 3_100)
        endpoint.noteSuccess(atMs: 2_500)
        #expect(endpoint.failingSinceMs == 3_000 && endpoint.lastFailureAtMs == 3_100)
    }

    /// An attempt in flight when its endpoint's id is deleted and created again by another
    /// tenant finishes without touching the new owner's health.
    @Test func anAttemptMovesOnlyItsOwnTenantsEndpointsHealth() throws {
        var ledger = try F.ledgerWithPendingDelivery()
        try ledger.append(F.started(), .endpointDeleted(EndpointDeleted(tenantId: F.tenant, endpointId: F.endpoint, deletedAtMs: 1_020)))
        try ledger.append(F.tenantCreated(F.otherTenant, key: 2), F.endpointCreated(F.endpoint, tenant: F.otherTenant))
        try ledger.append(F.finished(atMs: 1_100, status: 503))
        #expect(try ledger.endpoint(F.endpoint)?.failingSinceMs == nil)
        #expect(try ledger.endpoint(F.endpoint)?.tenantId == F.otherTenant)
    }

    /// A log from before `endpoint_failing` says `endpoint_disabled` for every disabling; the
    /// reason the endpoint keeps tells Hooklog's from its owner's.
    @Test(arguments: [(EndpointDisabledReason.failingTooLong, DeliveryCancelReason.endpointFailing), (.gone, .endpointFailing), (.byUser, .endpointDisabled)])
    func anOldCancellationByDisablingTakesItsReasonFromTheEndpoint(disabled: EndpointDisabledReason, cancelled: DeliveryCancelReason) throws {
        var ledger = try F.ledgerWithPendingDelivery()
        try ledger.append(.endpointDisabled(EndpointDisabled(tenantId: nil, endpointId: F.endpoint, reason: disabled, disabledAtMs: 1_010)))
        try ledger.append(.deliveryCancelled(DeliveryCancelled(deliveryId: F.delivery, cancelledAtMs: 1_010, reason: .endpointDisabled)))
        #expect(try ledger.delivery(F.delivery)?.cancelReason == cancelled)
    }

    /// The failures were the old URL's: a fixed URL is not disabled for them.
    @Test func aNewURLStartsTheEndpointsHealthAfreshAndTheSameURLDoesNot() throws {
        var ledger = try F.ledgerWithPendingDelivery()
        try ledger.append(F.started(), F.finished(atMs: 1_100, status: 503), F.retry(dueAtMs: 2_000))
        let url = try #require(try ledger.endpoint(F.endpoint)?.url)
        try ledger.append(.endpointUpdated(EndpointUpdated(tenantId: F.tenant, endpointId: F.endpoint, url: url, updatedAtMs: 1_200)))
        #expect(try ledger.endpoint(F.endpoint)?.failingSinceMs == 1_100, "the same URL keeps its streak")
        try ledger.append(.endpointUpdated(EndpointUpdated(tenantId: F.tenant, endpointId: F.endpoint, url: "https://fixed.example/hook", updatedAtMs: 1_300)))
        #expect(try ledger.endpoint(F.endpoint)?.failingSinceMs == nil)
    }

    /// A URL spelled with other code points is another URL on the wire (percent-encoded
    /// otherwise), though the strings compare equal: the endpoint takes it.
    @Test func aURLEqualAsAStringButOtherInBytesIsANewURL() throws {
        var ledger = try F.ledgerWithPendingDelivery()
        try ledger.append(.endpointUpdated(EndpointUpdated(tenantId: F.tenant, endpointId: F.endpoint, url: "https://example.com/caf\u{E9}", updatedAtMs: 1_200)))
        let decomposed = "https://example.com/cafe\u{301}"
        try ledger.append(.endpointUpdated(EndpointUpdated(tenantId: F.tenant, endpointId: F.endpoint, url: decomposed, updatedAtMs: 1_300)))
        let endpoint = try #require(try ledger.endpoint(F.endpoint))
        #expect(Array(endpoint.url.utf8) == Array(decomposed.utf8) && endpoint.urlSinceSequence == 6)
    }

    /// An attempt out while the endpoint moved to another URL answers for the URL it left: its
    /// failure starts no run of the new URL's, and its success ends none; attempts started since do.
    @Test func anAttemptStartedBeforeTheURLChangedLeavesTheNewURLsHealthAlone() throws {
        var ledger = try F.ledgerWithPendingDelivery()
        try ledger.append(F.started(atMs: 1_010))
        try ledger.append(.endpointUpdated(EndpointUpdated(tenantId: F.tenant, endpointId: F.endpoint, url: "https://moved.example/hook", updatedAtMs: 1_020)))
        #expect(try ledger.endpoint(F.endpoint)?.urlSinceSequence == 6)
        try ledger.append(F.finished(atMs: 1_030, status: 503), F.retry(dueAtMs: 1_040))
        #expect(try ledger.endpoint(F.endpoint)?.failingSinceMs == nil, "the old URL's failure")
        try ledger.append(F.started(attempt: 2, atMs: 1_040), F.finished(attempt: 2, atMs: 1_050, status: 503), F.retry(dueAtMs: 1_060))
        #expect(try ledger.endpoint(F.endpoint)?.failingSinceMs == 1_050, "the new URL's own failure")
        // Out again, and the endpoint moves once more: the success is the URL it left behind.
        try ledger.append(F.started(attempt: 3, atMs: 1_060))
        try ledger.append(.endpointUpdated(EndpointUpdated(tenantId: F.tenant, endpointId: F.endpoint, url: "https://third.example/hook", updatedAtMs: 1_070)))
        try ledger.append(.endpointUpdated(EndpointUpdated(tenantId: F.tenant, endpointId: F.endpoint, url: "https://moved.example/hook", updatedAtMs: 1_075)))
        try ledger.append(F.finished(attempt: 3, atMs: 1_080), F.succeeded(atMs: 1_080))
        let endpoint = try #require(try ledger.endpoint(F.endpoint))
        #expect(endpoint.lastSuccessAtMs == nil && endpoint.urlSinceSequence == 14)
        #expect(try EndpointState(decoding: endpoint.encode()) == endpoint)
    }

    /// Which URL an attempt went to follows the log's order, whatever the two records' times
    /// say: the start and the change are stamped on two threads, a moment apart either way.
    @Test func whetherAnAttemptWentToTheCurrentURLIsDecidedByLogOrderNotByTimes() throws {
        var ledger = try F.ledgerWithPendingDelivery()
        // Started, then the URL changed, though the change's time is the earlier.
        try ledger.append(F.started(atMs: 2_000))
        try ledger.append(.endpointUpdated(EndpointUpdated(tenantId: F.tenant, endpointId: F.endpoint, url: "https://moved.example/hook", updatedAtMs: 1_990)))
        try ledger.append(F.finished(atMs: 2_010, status: 503), F.retry(dueAtMs: 2_020))
        #expect(try ledger.endpoint(F.endpoint)?.failingSinceMs == nil, "the URL it left failed, not the new one")
        // The URL changed, then an attempt started, though its time is the earlier.
        try ledger.append(.endpointUpdated(EndpointUpdated(tenantId: F.tenant, endpointId: F.endpoint, url: "https://third.example/hook", updatedAtMs: 2_100)))
        try ledger.append(F.started(attempt: 2, atMs: 2_090), F.finished(attempt: 2, atMs: 2_110, status: 503))
        #expect(try ledger.endpoint(F.endpoint)?.failingSinceMs == 2_110, "the new URL's own failure")
    }

    @Test func interruptedAttemptDoesNotCountAgainstTheEndpoint() throws {
        var ledger = try F.ledgerWithPendingDelivery()
        try ledger.append(F.started(), F.finished(status: nil, error: .interrupted), F.retry(dueAtMs: 1_100))
        #expect(try ledger.endpoint(F.endpoint)?.failingSinceMs == nil)
    }

    @Test func failureFinishesTheDeliveryWithItsReason() throws {
        var ledger = try F.ledgerWithPendingDelivery()
        try ledger.append(F.started(), F.finished(status: 500), F.failed(atMs: 1_060))
        let delivery = try #require(try ledger.delivery(F.delivery))
        #expect(delivery.status == .failed && delivery.failureReason == .retriesExhausted && delivery.finishedAtMs == 1_060)
        #expect(ledger.due.isEmpty && ledger.inFlight.isEmpty)
    }

    @Test func cancellingAWaitingDeliveryClearsItsDueEntry() throws {
        var ledger = try F.ledgerWithPendingDelivery()
        try ledger.append(F.cancelled(reason: .byUser))
        let delivery = try #require(try ledger.delivery(F.delivery))
        #expect(delivery.status == .cancelled && delivery.cancelReason == .byUser && delivery.nextAttemptAtMs == nil)
        #expect(ledger.due.isEmpty)
    }

    @Test func reschedulingAWaitingDeliveryMovesItsDueEntry() throws {
        var ledger = try F.ledgerWithPendingDelivery()
        try ledger.append(F.retry(dueAtMs: 50))
        #expect(ledger.due.map(\.dueAtMs) == [50])
        #expect(try ledger.delivery(F.delivery)?.status == .pending)
        try ledger.append(F.retry(dueAtMs: 50))  // the same time again: one entry, no delete of what exists
        #expect(ledger.due.map(\.dueAtMs) == [50])
    }

    @Test func manualRetryReopensAFinishedDelivery() throws {
        var ledger = try F.ledgerWithPendingDelivery()
        try ledger.append(F.started(), F.finished(), F.succeeded(), F.retry(dueAtMs: 9_000))
        let delivery = try #require(try ledger.delivery(F.delivery))
        #expect(delivery.status == .retrying && delivery.finishedAtMs == nil && delivery.nextAttemptAtMs == 9_000)
        try ledger.append(F.started(attempt: 2, atMs: 9_000))
    }

    /// A manual retry's key is taken for its delivery, apart from the tenant's event and endpoint
    /// keys; a later retry with the key takes it over (the retry command decides when one may).
    /// A key on a retry no request could have made is a broken log.
    @Test func aManualRetryWithAnIdempotencyKeyTakesItForItsDelivery() throws {
        var ledger = try F.ledgerWithPendingDelivery()
        let otherDelivery = DeliveryID(rawValue: 1_001)
        try ledger.append(F.planned(otherDelivery), F.started(), F.finished(), F.succeeded(), F.retry(dueAtMs: 9_000, idempotencyKey: "resend-1"))
        #expect(try ledger.delivery(F.delivery)?.status == .retrying)
        let taken = try #require(try ledger.projections.retriedDelivery(ofIdempotencyKey: "resend-1", tenantId: F.tenant))
        #expect(taken.deliveryId == F.delivery && taken.sequence == ledger.nextSequence - 1)
        #expect(try ledger.projections.retriedDelivery(ofIdempotencyKey: "resend-1", tenantId: F.otherTenant) == nil)
        #expect(try ledger.projections.event(ofIdempotencyKey: "resend-1", tenantId: F.tenant) == nil)
        #expect(try ledger.projections.endpoint(ofIdempotencyKey: "resend-1", tenantId: F.tenant) == nil)
        // A waiting delivery moved up, taking the key over.
        try ledger.append(F.retry(otherDelivery, dueAtMs: 9_100, idempotencyKey: "resend-1"))
        #expect(try ledger.projections.retriedDelivery(ofIdempotencyKey: "resend-1", tenantId: F.tenant)?.deliveryId == otherDelivery)
        // Never while an attempt is out, even one decidable (which a retry without a key may follow),
        // nor on a replay's reopening.
        try ledger.append(F.started(attempt: 2, atMs: 9_000), F.finished(attempt: 2, atMs: 9_050))
        #expect(throws: ReducerError.invalidTransition) { try ledger.append(F.retry(dueAtMs: 9_200, idempotencyKey: "resend-3")) }
        try ledger.append(F.succeeded(atMs: 9_051), F.replayRequested())
        #expect(throws: ReducerError.invalidTransition) { try ledger.append(F.retry(dueAtMs: 9_200, replay: F.replay, idempotencyKey: "resend-3")) }
        #expect(try ledger.projections.retriedDelivery(ofIdempotencyKey: "resend-3", tenantId: F.tenant) == nil)
        try ledger.append(F.retry(dueAtMs: 9_200, replay: F.replay))
    }

    /// A delivery retried without end must not grow a row every attempt rewrites: the runs
    /// before the current one keep their latest attempts only, and numbering goes on.
    @Test func aDeliveryReopenedOftenKeepsItsCurrentRunAndTheLatestEarlierAttempts() throws {
        var ledger = try F.ledgerWithPendingDelivery()
        let runs: UInt32 = 30
        for run in 1...runs {
            // Each run: one failed attempt and a retry, then a success; the next run reopens it.
            let first = 2 * run - 1
            let atMs = UInt64(run) * 10_000
            try ledger.append(F.started(attempt: first, atMs: atMs), F.finished(attempt: first, atMs: atMs + 1, status: 500), F.retry(dueAtMs: atMs + 2))
            try ledger.append(F.started(attempt: first + 1, atMs: atMs + 2), F.finished(attempt: first + 1, atMs: atMs + 3), F.succeeded(atMs: atMs + 3))
            try ledger.append(F.retry(dueAtMs: atMs + 5_000))
        }
        try ledger.append(F.started(attempt: 2 * runs + 1, atMs: 400_000), F.finished(attempt: 2 * runs + 1, atMs: 400_001, status: 500))
        let delivery = try #require(try ledger.delivery(F.delivery))
        #expect(delivery.attemptCount == 2 * runs + 1)
        #expect(delivery.reopenedAfterAttemptCount == 2 * runs)
        let kept = UInt32(DeliveryState.earlierAttemptsKept)
        #expect(delivery.attempts.map(\.number) == Array((2 * runs - kept + 1)...(2 * runs + 1)), "the latest earlier attempts, then the current run")
        #expect(delivery.attemptsOfCurrentRun.map(\.number) == [2 * runs + 1] && delivery.attemptsInCurrentRun == 1)
        #expect(try DeliveryState(decoding: delivery.encode()) == delivery)
        // The next attempt is numbered after every attempt, not after those kept.
        try ledger.append(F.retry(dueAtMs: 401_000), F.started(attempt: 2 * runs + 2, atMs: 401_000))
        #expect(throws: ReducerError.attemptMismatch) { try ledger.append(F.finished(attempt: kept + 2, atMs: 401_001)) }
    }

    /// Interrupted attempts use no retry, so a run of restarts or a long-busy resolver could
    /// gather them without end: the row keeps the latest few, and the run's retries are unchanged.
    @Test func aRunKeepsItsLatestInterruptedAttemptsOnly() throws {
        var ledger = try F.ledgerWithPendingDelivery()
        try ledger.append(F.started(attempt: 1, atMs: 1_010), F.finished(attempt: 1, atMs: 1_011, status: 500), F.retry(dueAtMs: 1_012))
        let interruptions: UInt32 = 30
        for number in 2...(interruptions + 1) {
            let atMs = UInt64(number) * 100
            try ledger.append(F.started(attempt: number, atMs: atMs), F.finished(attempt: number, atMs: atMs + 1, status: nil, error: .interrupted))
            try ledger.append(F.retry(dueAtMs: atMs + 2))
        }
        try ledger.append(F.started(attempt: interruptions + 2, atMs: 9_000))
        let delivery = try #require(try ledger.delivery(F.delivery))
        let kept = UInt32(DeliveryState.interruptedAttemptsKept)
        #expect(delivery.attemptCount == interruptions + 2)
        #expect(delivery.attempts.map(\.number) == [1] + Array((interruptions + 3 - kept)...(interruptions + 2)), "the failure, the latest interruptions and the attempt in flight, \(kept) in all")
        #expect(delivery.attemptsInCurrentRun == 2, "the failure and the attempt in flight: interruptions count for nothing")
        #expect(try DeliveryState(decoding: delivery.encode()) == delivery)
    }

    @Test func decisionWithoutAFinishedAttemptIsRejected() throws {
        var ledger = try F.ledgerWithPendingDelivery()
        try ledger.append(F.started())
        #expect(throws: ReducerError.invalidTransition) { try ledger.append(F.succeeded()) }
        #expect(throws: ReducerError.invalidTransition) { try ledger.append(F.failed()) }
        #expect(throws: ReducerError.invalidTransition) { try ledger.append(F.cancelled()) }
        #expect(throws: ReducerError.invalidTransition) { try ledger.append(F.retry(dueAtMs: 5)) }
    }

    @Test func attemptFinishedWithoutAttemptStartedIsRejected() throws {
        var ledger = try F.ledgerWithPendingDelivery()
        #expect(throws: ReducerError.invalidTransition) { try ledger.append(F.finished()) }
        try ledger.append(F.started(), F.finished())
        #expect(throws: ReducerError.invalidTransition) { try ledger.append(F.finished()) }
    }

    @Test func attemptsMustBeNumberedOneAfterAnother() throws {
        var ledger = try F.ledgerWithPendingDelivery()
        #expect(throws: ReducerError.attemptMismatch) { try ledger.append(F.started(attempt: 2)) }
        #expect(throws: ReducerError.attemptMismatch) { try ledger.append(F.started(attempt: 0)) }
    }

    @Test func finishedDeliveriesTakeNoAttemptsOrSecondDecisions() throws {
        var ledger = try F.ledgerWithPendingDelivery()
        try ledger.append(F.started(), F.finished(), F.succeeded())
        #expect(throws: ReducerError.invalidTransition) { try ledger.append(F.started(attempt: 2)) }
        #expect(throws: ReducerError.invalidTransition) { try ledger.append(F.succeeded()) }
        #expect(throws: ReducerError.invalidTransition) { try ledger.append(F.cancelled()) }
    }

    @Test func successOrFailureNeedsAnAttemptFirst() throws {
        var ledger = try F.ledgerWithPendingDelivery()
        #expect(throws: ReducerError.invalidTransition) { try ledger.append(F.succeeded()) }
        #expect(throws: ReducerError.invalidTransition) { try ledger.append(F.failed()) }
    }

    @Test func planningNeedsAKnownEventAndEndpointOfTheSameTenant() throws {
        var ledger = Ledger()
        try ledger.append(F.tenantCreated(), F.tenantCreated(F.otherTenant, key: 2), F.endpointCreated())
        try ledger.append(F.endpointCreated(F.otherEndpoint, tenant: F.otherTenant), F.eventReceived())
        #expect(throws: ReducerError.unknownEvent) { try ledger.append(F.planned(event: EventID(rawValue: 999))) }
        #expect(throws: ReducerError.unknownEndpoint) { try ledger.append(F.planned(endpoint: EndpointID(rawValue: 999))) }
        #expect(throws: ReducerError.tenantMismatch) { try ledger.append(F.planned(endpoint: F.otherEndpoint)) }
        #expect(throws: ReducerError.tenantMismatch) { try ledger.append(F.planned(tenant: F.otherTenant, endpoint: F.otherEndpoint)) }
        try ledger.append(F.planned())
        #expect(throws: ReducerError.duplicate) { try ledger.append(F.planned()) }
        #expect(throws: ReducerError.unknownDelivery) { try ledger.append(F.started(DeliveryID(rawValue: 7))) }
    }

    @Test func inlineDeliveryIsIndexedWithoutAnEndpoint() throws {
        var ledger = Ledger()
        try ledger.append(F.tenantCreated(), F.eventReceived())
        try ledger.append(.deliveryPlanned(DeliveryPlanned(
            deliveryId: F.delivery, eventId: F.event, tenantId: F.tenant, target: .inline(url: "https://inline.example"), plannedAtMs: 5
        )))
        #expect(try ledger.delivery(F.delivery)?.target == .inline(url: "https://inline.example"))
        #expect(ledger.projections.count(in: .endpointDeliveries) == 0)
        try ledger.append(F.started(), F.finished(status: 500), F.failed())
    }

    @Test func eventDeliveriesListInFanOutOrder() throws {
        var ledger = Ledger()
        try ledger.append(F.tenantCreated(), F.endpointCreated(), F.eventReceived())
        let ids = [DeliveryID(rawValue: 9), DeliveryID(rawValue: 3), DeliveryID(rawValue: 6)]
        for id in ids {
            try ledger.append(F.planned(id))
        }
        let listed = ledger.projections.entries(in: .eventDeliveries).compactMap { ProjectionKeys.trailingID(of: $0.key, as: DeliveryID.self) }
        #expect(listed == ids)
    }
}
