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
        try Self.row(id, in: &self.changes.tenants, of: self.state) { state, id throws(ReducerError) in try state.tenant(id) }
    }

    mutating func endpoint(_ id: EndpointID) throws(ReducerError) -> EndpointState? {
        try Self.row(id, in: &self.changes.endpoints, of: self.state) { state, id throws(ReducerError) in try state.endpoint(id) }
    }

    mutating func event(_ id: EventID) throws(ReducerError) -> EventIndexEntry? {
        try Self.row(id, in: &self.changes.events, of: self.state) { state, id throws(ReducerError) in try state.event(id) }
    }

    mutating func idempotencyEntry(_ key: IdempotencyEntry.Key) throws(ReducerError) -> IdempotencyEntry? {
        try Self.row(key, in: &self.changes.idempotency, of: self.state) { state, key throws(ReducerError) in try state.idempotencyEntry(key) }
    }

    mutating func delivery(_ id: DeliveryID) throws(ReducerError) -> DeliveryState? {
        try Self.row(id, in: &self.changes.deliveries, of: self.state) { state, id throws(ReducerError) in try state.delivery(id) }
    }

    mutating func replay(_ id: ReplayID) throws(ReducerError) -> ReplayState? {
        try Self.row(id, in: &self.changes.replays, of: self.state) { state, id throws(ReducerError) in try state.replay(id) }
    }

    mutating func invocation(_ id: InvocationID) throws(ReducerError) -> InvocationState? {
        try Self.row(id, in: &self.changes.invocations, of: self.state) { state, id throws(ReducerError) in try state.invocation(id) }
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

    /// Row `id` as this record left it, else as `state` holds it (then noted as read).
    private static func row<Entity: ProjectedEntity>(
        _ id: Entity.ID,
        in changes: inout EntityChangeList<Entity>,
        of state: State,
        read: (State, Entity.ID) throws(ReducerError) -> Entity?
    ) throws(ReducerError) -> Entity? {
        if let pending = changes.pending(id) { return pending }
        let row = try read(state, id)
        changes.noteRead(id, row)
        return row
    }
}
