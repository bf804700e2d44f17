import HooklogCore

/// A log and its projections in memory, for reducer tests: `append` reduces and applies a
/// record as the journal would, and typed accessors read the projections back.
struct Ledger {
    private(set) var projections = MemoryProjections()
    private(set) var records: [Record] = []

    /// The sequence the next record gets.
    var nextSequence: UInt64 { UInt64(self.records.count + 1) }

    mutating func append(_ record: Record) throws(ReducerError) {
        try self.projections.apply(record, sequence: self.nextSequence, appendedAtMs: 0)
        self.records.append(record)
    }

    mutating func append(_ records: Record...) throws(ReducerError) {
        for record in records {
            try self.append(record)
        }
    }

    func delivery(_ id: DeliveryID) throws -> DeliveryState? {
        try self.projections.value(in: .deliveries, forKey: ProjectionKeys.delivery(id)).map { try DeliveryState(decoding: $0) }
    }

    func endpoint(_ id: EndpointID) throws -> EndpointState? {
        try self.projections.value(in: .endpoints, forKey: ProjectionKeys.endpoint(id)).map { try EndpointState(decoding: $0) }
    }

    func replay(_ id: ReplayID) throws -> ReplayState? {
        try self.projections.value(in: .replays, forKey: ProjectionKeys.replay(id)).map { try ReplayState(decoding: $0) }
    }

    func event(_ id: EventID) throws -> EventIndexEntry? {
        try self.projections.value(in: .events, forKey: ProjectionKeys.event(id)).map { try EventIndexEntry(decoding: $0) }
    }

    func invocation(_ id: InvocationID) throws -> InvocationState? {
        try self.projections.value(in: .invocations, forKey: ProjectionKeys.invocation(id)).map { try InvocationState(decoding: $0) }
    }

    /// The `due` index, in order.
    var due: [(lane: DueLane, dueAtMs: UInt64, deliveryId: DeliveryID)] {
        self.projections.entries(in: .due).compactMap { ProjectionKeys.parseDue($0.key) }
    }

    /// The ids of the deliveries in flight.
    var inFlight: [DeliveryID] {
        self.projections.entries(in: .inFlight).compactMap { DeliveryID(bytes: $0.key) }
    }
}

/// Short constructors for the records of reducer tests, with fixed ids.
enum Fixture {
    static let tenant = TenantID(rawValue: 1)
    static let otherTenant = TenantID(rawValue: 2)
    static let endpoint = EndpointID(rawValue: 10)
    static let otherEndpoint = EndpointID(rawValue: 11)
    static let event = EventID(rawValue: 100)
    static let delivery = DeliveryID(rawValue: 1_000)
    static let replay = ReplayID(rawValue: 5_000)

    static func tenantCreated(_ id: TenantID = tenant, key: UInt8 = 1) -> Record {
        .tenantCreated(TenantCreated(tenantId: id, name: "Acme", apiKeyHash: SHA256Digest(bytes: [UInt8](repeating: key, count: 32))!, defaultSigningSecret: "whsec_ledger", createdAtMs: 1))
    }

    static func endpointCreated(_ id: EndpointID = endpoint, tenant: TenantID = tenant, idempotentRequest: IdempotentRequest? = nil) -> Record {
        .endpointCreated(EndpointCreated(
            endpointId: id, tenantId: tenant, url: "https://receiver.example/hook", description: "CRM",
            enabledEvents: ["*"], profile: "standard", signingSecret: "whsec_first", bearerToken: "tok",
            metadata: Array("{\"a\":1}".utf8), createdAtMs: 2, idempotentRequest: idempotentRequest
        ))
    }

    static func eventReceived(_ id: EventID = event, tenant: TenantID = tenant, atMs: UInt64 = 1_000, idempotencyKey: String? = nil) -> Record {
        .eventReceived(EventReceived(
            tenantId: tenant, eventId: id, type: "call.completed", rawBody: Array("{\"type\":\"call.completed\"}".utf8),
            receivedAtMs: atMs, callId: "call_1", idempotencyKey: idempotencyKey
        ))
    }

    static func planned(_ id: DeliveryID = delivery, event: EventID = event, tenant: TenantID = tenant, endpoint: EndpointID = endpoint, atMs: UInt64 = 1_000) -> Record {
        .deliveryPlanned(DeliveryPlanned(deliveryId: id, eventId: event, tenantId: tenant, target: .endpoint(endpoint), plannedAtMs: atMs))
    }

    static func started(_ id: DeliveryID = delivery, attempt: UInt32 = 1, atMs: UInt64 = 1_010, replay: ReplayID? = nil) -> Record {
        .attemptStarted(AttemptStarted(deliveryId: id, attemptNumber: attempt, startedAtMs: atMs, replayId: replay))
    }

    static func finished(_ id: DeliveryID = delivery, attempt: UInt32 = 1, atMs: UInt64 = 1_050, status: UInt16? = 200, error: AttemptErrorKind? = nil) -> Record {
        .attemptFinished(AttemptFinished(
            deliveryId: id, attemptNumber: attempt, finishedAtMs: atMs, statusCode: status, latencyMs: 40, errorKind: error,
            responseExcerpt: Array("ok".utf8)
        ))
    }

    static func retry(_ id: DeliveryID = delivery, dueAtMs: UInt64, replay: ReplayID? = nil, idempotencyKey: String? = nil) -> Record {
        .deliveryRetryScheduled(DeliveryRetryScheduled(deliveryId: id, dueAtMs: dueAtMs, replayId: replay, idempotencyKey: idempotencyKey))
    }

    static func succeeded(_ id: DeliveryID = delivery, atMs: UInt64 = 1_051) -> Record {
        .deliverySucceeded(DeliverySucceeded(deliveryId: id, succeededAtMs: atMs))
    }

    static func failed(_ id: DeliveryID = delivery, atMs: UInt64 = 1_051) -> Record {
        .deliveryFailed(DeliveryFailed(deliveryId: id, failedAtMs: atMs, reason: .retriesExhausted))
    }

    static func cancelled(_ id: DeliveryID = delivery, atMs: UInt64 = 1_051, reason: DeliveryCancelReason = .endpointDisabled) -> Record {
        .deliveryCancelled(DeliveryCancelled(deliveryId: id, cancelledAtMs: atMs, reason: reason))
    }

    static func replayRequested(_ id: ReplayID = replay, tenant: TenantID = tenant) -> Record {
        .replayRequested(ReplayRequested(replayId: id, tenantId: tenant, sinceMs: 0, untilMs: 10_000, statusFilter: .failed, requestedAtMs: 9_000))
    }

    /// A ledger with a tenant, an endpoint, an event and one pending delivery planned at 1000.
    static func ledgerWithPendingDelivery() throws -> Ledger {
        var ledger = Ledger()
        try ledger.append(tenantCreated(), endpointCreated(), eventReceived(), planned())
        return ledger
    }
}
