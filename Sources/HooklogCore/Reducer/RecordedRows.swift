/// The rows of a store that keeps bytes (`EntityReading`), with a record's reads and writes
/// collected as `EntityChanges`: a row is read from the store once, then from the changes, and
/// the store itself is left as it was, so that a record that throws changes nothing.
struct RecordedRows<State: EntityReading>: ReductionRows {
    let state: State
    private(set) var changes = EntityChanges()

    init(_ state: State) {
        self.state = state
    }

    mutating func tenant(_ id: TenantID) throws(ReducerError) -> TenantState? {
        if let pending = self.changes.tenants.pending(id) { return pending }
        let row = try self.state.tenant(id)
        self.changes.tenants.noteRead(id, row)
        return row
    }

    mutating func endpoint(_ id: EndpointID) throws(ReducerError) -> EndpointState? {
        if let pending = self.changes.endpoints.pending(id) { return pending }
        let row = try self.state.endpoint(id)
        self.changes.endpoints.noteRead(id, row)
        return row
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

    mutating func replay(_ id: ReplayID) throws(ReducerError) -> ReplayState? {
        if let pending = self.changes.replays.pending(id) { return pending }
        let row = try self.state.replay(id)
        self.changes.replays.noteRead(id, row)
        return row
    }

    mutating func invocation(_ id: InvocationID) throws(ReducerError) -> InvocationState? {
        if let pending = self.changes.invocations.pending(id) { return pending }
        let row = try self.state.invocation(id)
        self.changes.invocations.noteRead(id, row)
        return row
    }

    func apiKeyIsTaken(_ apiKeyHash: SHA256Digest) throws(ReducerError) -> Bool {
        if self.changes.tenants.changes.contains(where: { $0.current?.apiKeyHash == apiKeyHash }) { return true }
        return try self.state.tenantId(forAPIKeyHash: apiKeyHash) != nil
    }

    mutating func putTenant(_ id: TenantID, _ tenant: TenantState) { self.changes.tenants.write(id, tenant) }
    mutating func putEndpoint(_ id: EndpointID, _ endpoint: EndpointState) { self.changes.endpoints.write(id, endpoint) }
    mutating func removeEndpoint(_ id: EndpointID) { self.changes.endpoints.write(id, nil) }
    mutating func putEvent(_ id: EventID, _ event: EventIndexEntry) { self.changes.events.write(id, event) }
    mutating func putIdempotencyEntry(_ key: IdempotencyEntry.Key, _ entry: IdempotencyEntry) { self.changes.idempotency.write(key, entry) }
    mutating func putDelivery(_ id: DeliveryID, _ delivery: DeliveryState) { self.changes.deliveries.write(id, delivery) }
    mutating func putReplay(_ id: ReplayID, _ replay: ReplayState) { self.changes.replays.write(id, replay) }
    mutating func putInvocation(_ id: InvocationID, _ invocation: InvocationState) { self.changes.invocations.write(id, invocation) }
}
