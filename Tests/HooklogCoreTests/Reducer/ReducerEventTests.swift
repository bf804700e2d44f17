import HooklogCore
import Testing

@Suite("Reducer: events, replays, invocations")
struct ReducerEventTests {
    typealias F = Fixture

    @Test func eventForAnUnknownTenantIsRejected() {
        var ledger = Ledger()
        #expect(throws: ReducerError.unknownTenant) { try ledger.append(F.eventReceived()) }
        #expect(ledger.records.isEmpty)
    }

    @Test func eventIsIndexedWithItsSequenceAndByTenantAndReceiptTime() throws {
        var ledger = Ledger()
        try ledger.append(F.tenantCreated(), F.eventReceived(EventID(rawValue: 8), atMs: 2_000), F.eventReceived(EventID(rawValue: 9), atMs: 1_000))
        #expect(try ledger.event(EventID(rawValue: 8)) == EventIndexEntry(tenantId: F.tenant, sequence: 2, type: "call.completed", receivedAtMs: 2_000, callId: "call_1"))
        let timeline = ledger.projections.entries(in: .eventTimes).compactMap { ProjectionKeys.parseEventTime($0.key) }
        #expect(timeline.map(\.eventId) == [EventID(rawValue: 9), EventID(rawValue: 8)])
        #expect(timeline.map(\.sequence) == [3, 2])
        #expect(throws: ReducerError.duplicate) { try ledger.append(F.eventReceived(EventID(rawValue: 8))) }
    }

    @Test func repeatedIdempotencyKeyIsRejectedWithinATenantOnly() throws {
        var ledger = Ledger()
        try ledger.append(F.tenantCreated(), F.tenantCreated(F.otherTenant, key: 2))
        try ledger.append(F.eventReceived(EventID(rawValue: 1), idempotencyKey: "order-42"))
        let entry = ledger.projections.value(in: .idempotency, forKey: ProjectionKeys.idempotency(IdempotencyEntry.Key(tenantId: F.tenant, idempotencyKey: "order-42")))
        #expect(try entry.map { try IdempotencyEntry(decoding: $0) } == IdempotencyEntry(.event(EventID(rawValue: 1)), sequence: 3))
        #expect(throws: ReducerError.duplicate) { try ledger.append(F.eventReceived(EventID(rawValue: 2), idempotencyKey: "order-42")) }
        try ledger.append(F.eventReceived(EventID(rawValue: 3), tenant: F.otherTenant, idempotencyKey: "order-42"))
    }

    /// A replay request's key is taken by its answer: a second answer to it is refused. An
    /// event's key of the same spelling is another key, and so is the admin's; an answer naming
    /// a replay that does not exist is refused.
    @Test func aReplayKeyIsTakenByItsAnswerApartFromEventKeys() throws {
        var ledger = Ledger()
        try ledger.append(F.tenantCreated(), F.eventReceived(EventID(rawValue: 1), idempotencyKey: "order-42"), F.replayRequested())
        let answer = { (owner: TenantID?, replays: [ReplayID]) in
            Record.replayAnswered(ReplayAnswered(
                tenantId: owner, idempotencyKey: "order-42", requestDigest: SHA256Hasher.digest([1]), replayIds: replays, unfinishedCount: 1, endpointDisabledCount: 0, answeredAtMs: 5
            ))
        }
        try ledger.append(answer(F.tenant, [F.replay]))
        let key = IdempotencyEntry.Key(replaysOf: F.tenant, idempotencyKey: "order-42")
        let entry = ledger.projections.value(in: .idempotency, forKey: ProjectionKeys.idempotency(key))
        #expect(try entry.map { try IdempotencyEntry(decoding: $0) } == IdempotencyEntry(.replay, sequence: 4))
        #expect(throws: ReducerError.duplicate) { try ledger.append(answer(F.tenant, [F.replay])) }
        try ledger.append(answer(nil, [F.replay]))
        #expect(throws: ReducerError.unknownReplay) {
            try ledger.append(.replayAnswered(ReplayAnswered(
                tenantId: F.tenant, idempotencyKey: "other", requestDigest: SHA256Hasher.digest([1]), replayIds: [ReplayID(rawValue: 77)], unfinishedCount: 0, endpointDisabledCount: 0, answeredAtMs: 6
            )))
        }
    }

    @Test func replayReopensAFailedDeliveryAndCountsItsProgress() throws {
        var ledger = try F.ledgerWithPendingDelivery()
        try ledger.append(F.started(), F.finished(status: 500), F.failed(), F.replayRequested())
        try ledger.append(F.retry(dueAtMs: 9_000, replay: F.replay))
        #expect(try ledger.replay(F.replay)?.scheduledCount == 1)
        #expect(try ledger.delivery(F.delivery)?.replayId == F.replay)
        #expect(throws: ReducerError.attemptMismatch) { try ledger.append(F.started(attempt: 2, atMs: 9_000)) }
        try ledger.append(F.started(attempt: 2, atMs: 9_000, replay: F.replay), F.finished(attempt: 2, atMs: 9_010), F.succeeded(atMs: 9_011))
        let replay = try #require(try ledger.replay(F.replay))
        #expect(replay.succeededCount == 1 && replay.remainingCount == 0)
        let delivery = try #require(try ledger.delivery(F.delivery))
        #expect(delivery.replayId == nil && delivery.attempts.last?.replayId == F.replay)
    }

    @Test func replayCannotReopenAWaitingDeliveryOrOneOfAnotherTenant() throws {
        var ledger = try F.ledgerWithPendingDelivery()
        try ledger.append(F.tenantCreated(F.otherTenant, key: 2), F.replayRequested(), F.replayRequested(ReplayID(rawValue: 1), tenant: F.otherTenant))
        #expect(throws: ReducerError.invalidTransition) { try ledger.append(F.retry(dueAtMs: 9_000, replay: F.replay)) }
        try ledger.append(F.cancelled(reason: .byUser))
        #expect(throws: ReducerError.tenantMismatch) { try ledger.append(F.retry(dueAtMs: 9_000, replay: ReplayID(rawValue: 1))) }
        #expect(throws: ReducerError.unknownReplay) { try ledger.append(F.retry(dueAtMs: 9_000, replay: ReplayID(rawValue: 2))) }
    }

    @Test func invocationRecordsItsResultOnceAndIsListedRunningUntilThen() throws {
        var ledger = Ledger()
        let id = InvocationID(rawValue: 3)
        try ledger.append(F.tenantCreated(), F.endpointCreated())
        try ledger.append(.invocationStarted(InvocationStarted(
            invocationId: id, tenantId: F.tenant, endpointId: F.endpoint, url: "https://receiver.example/hook", callId: "call_1",
            requestBody: Array("{}".utf8), budgetMs: 2_500, startedAtMs: 10
        )))
        #expect(ledger.projections.entries(in: .runningInvocations).map(\.key) == [ProjectionKeys.runningInvocation(id)])
        let finished = Record.invocationFinished(InvocationFinished(
            invocationId: id, finishedAtMs: 3_000, statusCode: 200, responseBody: Array("{\"say\":\"ok\"}".utf8), latencyMs: 2_990, errorKind: nil
        ))
        try ledger.append(finished)
        #expect(ledger.projections.count(in: .runningInvocations) == 0)
        #expect(try ledger.invocation(id)?.result == InvocationResult(finishedAtMs: 3_000, statusCode: 200, latencyMs: 2_990, errorKind: nil, finishedSequence: 4))
        #expect(throws: ReducerError.invalidTransition) { try ledger.append(finished) }
        #expect(throws: ReducerError.unknownInvocation) {
            try ledger.append(.invocationFinished(InvocationFinished(invocationId: InvocationID(rawValue: 4), finishedAtMs: 1, statusCode: nil, responseBody: [], latencyMs: 1, errorKind: .timeout)))
        }
    }

    /// The call goes out beside its start's journaling, so its endpoint may be deleted between the
    /// two: the start is taken (it carries the URL called). An endpoint still there must be the
    /// invocation's tenant's.
    @Test func anInvocationStartsAfterItsEndpointIsGoneButNotOnAnotherTenantsEndpoint() throws {
        var ledger = Ledger()
        try ledger.append(F.tenantCreated(), F.tenantCreated(F.otherTenant, key: 2), F.endpointCreated())
        func started(_ id: UInt128, tenant: TenantID) -> Record {
            .invocationStarted(InvocationStarted(
                invocationId: InvocationID(rawValue: id), tenantId: tenant, endpointId: F.endpoint, url: "https://receiver.example/hook",
                callId: nil, requestBody: Array("{}".utf8), budgetMs: 2_500, startedAtMs: 10
            ))
        }
        #expect(throws: ReducerError.tenantMismatch) { try ledger.append(started(1, tenant: F.otherTenant)) }
        try ledger.append(.endpointDeleted(EndpointDeleted(tenantId: F.tenant, endpointId: F.endpoint, deletedAtMs: 20)))
        try ledger.append(started(2, tenant: F.tenant))
        #expect(try ledger.invocation(InvocationID(rawValue: 2))?.url == "https://receiver.example/hook")
    }
}
