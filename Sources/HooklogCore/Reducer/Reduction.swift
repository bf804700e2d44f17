/// The work of reducing one record: the rows it reads, and how it leaves them. Index entries
/// follow from the rows (`ProjectedEntity.indexEntries`), so a reduction never writes one.
struct Reduction<State: EntityReading> {
    let state: State
    /// The log sequence of the record being reduced.
    let sequence: UInt64
    var changes = EntityChanges()

    init(state: State, sequence: UInt64) {
        self.state = state
        self.sequence = sequence
    }

    // MARK: Typed lookups

    mutating func tenant(_ id: TenantID) throws(ReducerError) -> TenantState? {
        try self.changes.tenants.lookup(id) { [state = self.state] id throws(ReducerError) in try state.tenant(id) }
    }

    mutating func requireTenant(_ id: TenantID) throws(ReducerError) -> TenantState {
        guard let tenant = try self.tenant(id) else { throw .unknownTenant(id) }
        return tenant
    }

    /// Whether some tenant, this record's included, holds the API key `apiKeyHash`.
    func apiKeyIsTaken(_ apiKeyHash: SHA256Digest) throws(ReducerError) -> Bool {
        if self.changes.tenants.changes.contains(where: { $0.current?.apiKeyHash == apiKeyHash }) { return true }
        return try self.state.tenantId(forAPIKeyHash: apiKeyHash) != nil
    }

    mutating func endpoint(_ id: EndpointID) throws(ReducerError) -> EndpointState? {
        try self.changes.endpoints.lookup(id) { [state = self.state] id throws(ReducerError) in try state.endpoint(id) }
    }

    mutating func requireEndpoint(_ id: EndpointID) throws(ReducerError) -> EndpointState {
        guard let endpoint = try self.endpoint(id) else { throw .unknownEndpoint(id) }
        return endpoint
    }

    mutating func event(_ id: EventID) throws(ReducerError) -> EventIndexEntry? {
        try self.changes.events.lookup(id) { [state = self.state] id throws(ReducerError) in try state.event(id) }
    }

    mutating func idempotencyEntry(_ key: IdempotencyEntry.Key) throws(ReducerError) -> IdempotencyEntry? {
        try self.changes.idempotency.lookup(key) { [state = self.state] key throws(ReducerError) in try state.idempotencyEntry(key) }
    }

    mutating func delivery(_ id: DeliveryID) throws(ReducerError) -> DeliveryState? {
        try self.changes.deliveries.lookup(id) { [state = self.state] id throws(ReducerError) in try state.delivery(id) }
    }

    mutating func requireDelivery(_ id: DeliveryID) throws(ReducerError) -> DeliveryState {
        guard let delivery = try self.delivery(id) else { throw .unknownDelivery(id) }
        return delivery
    }

    mutating func replay(_ id: ReplayID) throws(ReducerError) -> ReplayState? {
        try self.changes.replays.lookup(id) { [state = self.state] id throws(ReducerError) in try state.replay(id) }
    }

    mutating func requireReplay(_ id: ReplayID) throws(ReducerError) -> ReplayState {
        guard let replay = try self.replay(id) else { throw .unknownReplay(id) }
        return replay
    }

    mutating func invocation(_ id: InvocationID) throws(ReducerError) -> InvocationState? {
        try self.changes.invocations.lookup(id) { [state = self.state] id throws(ReducerError) in try state.invocation(id) }
    }

    // MARK: Typed writes (each after the lookup that judged it)

    mutating func putTenant(_ id: TenantID, _ tenant: TenantState) {
        self.changes.tenants.write(id, tenant)
    }

    mutating func putEndpoint(_ id: EndpointID, _ endpoint: EndpointState) {
        self.changes.endpoints.write(id, endpoint)
    }

    mutating func removeEndpoint(_ id: EndpointID) {
        self.changes.endpoints.write(id, nil)
    }

    mutating func putEvent(_ id: EventID, _ event: EventIndexEntry) {
        self.changes.events.write(id, event)
    }

    mutating func putIdempotencyEntry(_ key: IdempotencyEntry.Key, _ entry: IdempotencyEntry) {
        self.changes.idempotency.write(key, entry)
    }

    mutating func putDelivery(_ id: DeliveryID, _ delivery: DeliveryState) {
        self.changes.deliveries.write(id, delivery)
    }

    mutating func putReplay(_ id: ReplayID, _ replay: ReplayState) {
        self.changes.replays.write(id, replay)
    }

    mutating func putInvocation(_ id: InvocationID, _ invocation: InvocationState) {
        self.changes.invocations.write(id, invocation)
    }
}
