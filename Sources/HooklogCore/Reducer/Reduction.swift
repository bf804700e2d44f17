/// The work of reducing one record: the rows it reads, and how it leaves them. Index entries
/// follow from the rows (`ProjectedEntity.lifetimeIndexEntries` and `stateIndexEntries`), so a
/// reduction never writes one.
struct Reduction<State: EntityReading> {
    let state: State
    /// The log sequence of the record being reduced.
    let sequence: UInt64
    var changes = EntityChanges()

    init(state: State, sequence: UInt64) {
        self.state = state
        self.sequence = sequence
    }

    // MARK: Typed lookups (a row is read from the projections once, then from `changes`)
    //
    // Each spelled out: one generic helper taking the read as a closure made a rebuild a third
    // slower, as the reducer runs unspecialized for the rebuild's state type.

    mutating func tenant(_ id: TenantID) throws(ReducerError) -> TenantState? {
        if let pending = self.changes.tenants.pending(id) { return pending }
        let row = try self.state.tenant(id)
        self.changes.tenants.noteRead(id, row)
        return row
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
        if let pending = self.changes.endpoints.pending(id) { return pending }
        let row = try self.state.endpoint(id)
        self.changes.endpoints.noteRead(id, row)
        return row
    }

    mutating func requireEndpoint(_ id: EndpointID) throws(ReducerError) -> EndpointState {
        guard let endpoint = try self.endpoint(id) else { throw .unknownEndpoint(id) }
        return endpoint
    }

    /// Endpoint `id` if it is `tenantId`'s: an id deleted and created again by another tenant is
    /// not the endpoint a delivery of `tenantId` went to.
    mutating func endpoint(_ id: EndpointID, ownedBy tenantId: TenantID) throws(ReducerError) -> EndpointState? {
        guard let endpoint = try self.endpoint(id), endpoint.tenantId == tenantId else { return nil }
        return endpoint
    }

    /// The endpoint a record of tenant `tenantId` changes; a record from before tenants were
    /// named in endpoint records (`nil`) is taken at its word.
    mutating func requireEndpoint(_ id: EndpointID, namedTenant tenantId: TenantID?) throws(ReducerError) -> EndpointState {
        let endpoint = try self.requireEndpoint(id)
        if let tenantId, tenantId != endpoint.tenantId {
            throw .tenantMismatch("a record of tenant \(tenantId) changes endpoint \(id) of \(endpoint.tenantId)")
        }
        return endpoint
    }

    mutating func event(_ id: EventID) throws(ReducerError) -> EventIndexEntry? {
        if let pending = self.changes.events.pending(id) { return pending }
        let row = try self.state.event(id)
        self.changes.events.noteRead(id, row)
        return row
    }

    mutating func idempotencyEntry(_ key: IdempotencyEntry.Key) throws(ReducerError) -> IdempotencyEntry? {
        if let pending = self.changes.idempotency.pending(key) { return pending }
        let row = try self.state.idempotencyEntry(key)
        self.changes.idempotency.noteRead(key, row)
        return row
    }

    mutating func delivery(_ id: DeliveryID) throws(ReducerError) -> DeliveryState? {
        if let pending = self.changes.deliveries.pending(id) { return pending }
        let row = try self.state.delivery(id)
        self.changes.deliveries.noteRead(id, row)
        return row
    }

    mutating func requireDelivery(_ id: DeliveryID) throws(ReducerError) -> DeliveryState {
        guard let delivery = try self.delivery(id) else { throw .unknownDelivery(id) }
        return delivery
    }

    mutating func replay(_ id: ReplayID) throws(ReducerError) -> ReplayState? {
        if let pending = self.changes.replays.pending(id) { return pending }
        let row = try self.state.replay(id)
        self.changes.replays.noteRead(id, row)
        return row
    }

    mutating func requireReplay(_ id: ReplayID) throws(ReducerError) -> ReplayState {
        guard let replay = try self.replay(id) else { throw .unknownReplay(id) }
        return replay
    }

    mutating func invocation(_ id: InvocationID) throws(ReducerError) -> InvocationState? {
        if let pending = self.changes.invocations.pending(id) { return pending }
        let row = try self.state.invocation(id)
        self.changes.invocations.noteRead(id, row)
        return row
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
