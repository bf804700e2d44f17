/// The work of reducing one record: the rows it reads, and how it leaves them. Index entries
/// follow from the rows (`ProjectedEntity.lifetimeIndexEntries` and `stateIndexEntries`), so a
/// reduction never writes one.
struct Reduction<Rows: ReductionRows> {
    /// Where rows are read and written: the caller's, for the length of one record.
    let rows: UnsafeMutablePointer<Rows>
    /// The log sequence of the record being reduced.
    let sequence: UInt64

    init(rows: UnsafeMutablePointer<Rows>, sequence: UInt64) {
        self.rows = rows
        self.sequence = sequence
    }

    // MARK: Typed lookups

    mutating func tenant(_ id: TenantID) throws(ReducerError) -> TenantState? {
        try self.rows.pointee.tenant(id)
    }

    mutating func requireTenant(_ id: TenantID) throws(ReducerError) -> TenantState {
        guard let tenant = try self.tenant(id) else { throw .unknownTenant(id) }
        return tenant
    }

    /// Whether some tenant, this record's included, holds the API key `apiKeyHash`.
    func apiKeyIsTaken(_ apiKeyHash: SHA256Digest) throws(ReducerError) -> Bool {
        try self.rows.pointee.apiKeyIsTaken(apiKeyHash)
    }

    mutating func endpoint(_ id: EndpointID) throws(ReducerError) -> EndpointState? {
        try self.rows.pointee.endpoint(id)
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
        try self.rows.pointee.event(id)
    }

    mutating func idempotencyEntry(_ key: IdempotencyEntry.Key) throws(ReducerError) -> IdempotencyEntry? {
        try self.rows.pointee.idempotencyEntry(key)
    }

    mutating func delivery(_ id: DeliveryID) throws(ReducerError) -> DeliveryState? {
        try self.rows.pointee.delivery(id)
    }

    mutating func requireDelivery(_ id: DeliveryID) throws(ReducerError) -> DeliveryState {
        guard let delivery = try self.delivery(id) else { throw .unknownDelivery(id) }
        return delivery
    }

    mutating func replay(_ id: ReplayID) throws(ReducerError) -> ReplayState? {
        try self.rows.pointee.replay(id)
    }

    mutating func requireReplay(_ id: ReplayID) throws(ReducerError) -> ReplayState {
        guard let replay = try self.replay(id) else { throw .unknownReplay(id) }
        return replay
    }

    mutating func invocation(_ id: InvocationID) throws(ReducerError) -> InvocationState? {
        try self.rows.pointee.invocation(id)
    }

    // MARK: Typed writes (each after the lookup that judged it)

    mutating func putTenant(_ id: TenantID, _ tenant: TenantState) {
        self.rows.pointee.putTenant(id, tenant)
    }

    mutating func putEndpoint(_ id: EndpointID, _ endpoint: EndpointState) {
        self.rows.pointee.putEndpoint(id, endpoint)
    }

    mutating func removeEndpoint(_ id: EndpointID) {
        self.rows.pointee.removeEndpoint(id)
    }

    mutating func putEvent(_ id: EventID, _ event: EventIndexEntry) {
        self.rows.pointee.putEvent(id, event)
    }

    mutating func putIdempotencyEntry(_ key: IdempotencyEntry.Key, _ entry: IdempotencyEntry) {
        self.rows.pointee.putIdempotencyEntry(key, entry)
    }

    mutating func putDelivery(_ id: DeliveryID, _ delivery: DeliveryState) {
        self.rows.pointee.putDelivery(id, delivery)
    }

    mutating func putReplay(_ id: ReplayID, _ replay: ReplayState) {
        self.rows.pointee.putReplay(id, replay)
    }

    mutating func putInvocation(_ id: InvocationID, _ invocation: InvocationState) {
        self.rows.pointee.putInvocation(id, invocation)
    }
}
