/// The work of reducing one record: the state it reads, and the changes it makes.
struct Reduction<State: ProjectionReading> {
    let state: State
    /// The log sequence of the record being reduced.
    let sequence: UInt64
    var changes = ProjectionChangeSet()

    init(state: State, sequence: UInt64) {
        self.state = state
        self.sequence = sequence
    }

    // MARK: Raw access

    func read(_ table: ProjectionTable, _ key: [UInt8]) throws(ReducerError) -> [UInt8]? {
        if let pending = self.changes.pendingValue(in: table, forKey: key) {
            return pending
        }
        do {
            return try self.state.value(in: table, forKey: key)
        } catch {
            throw .readFailed(table, error)
        }
    }

    func exists(_ table: ProjectionTable, _ key: [UInt8]) throws(ReducerError) -> Bool {
        try self.read(table, key) != nil
    }

    mutating func put(_ table: ProjectionTable, _ key: [UInt8], _ value: [UInt8] = []) {
        self.changes.put(table, key, value)
    }

    mutating func delete(_ table: ProjectionTable, _ key: [UInt8]) {
        self.changes.delete(table, key)
    }

    private func decode<Value>(
        _ table: ProjectionTable,
        _ key: [UInt8],
        _ decode: ([UInt8]) throws(RecordDecodingError) -> Value
    ) throws(ReducerError) -> Value? {
        guard let bytes = try self.read(table, key) else { return nil }
        do {
            return try decode(bytes)
        } catch {
            throw .corruptProjection(table, error)
        }
    }

    // MARK: Typed lookups

    func tenant(_ id: TenantID) throws(ReducerError) -> TenantState? {
        try self.decode(.tenants, ProjectionKeys.tenant(id)) { bytes throws(RecordDecodingError) in try TenantState(decoding: bytes) }
    }

    func requireTenant(_ id: TenantID) throws(ReducerError) -> TenantState {
        guard let tenant = try self.tenant(id) else { throw .unknownTenant(id) }
        return tenant
    }

    func endpoint(_ id: EndpointID) throws(ReducerError) -> EndpointState? {
        try self.decode(.endpoints, ProjectionKeys.endpoint(id)) { bytes throws(RecordDecodingError) in try EndpointState(decoding: bytes) }
    }

    func requireEndpoint(_ id: EndpointID) throws(ReducerError) -> EndpointState {
        guard let endpoint = try self.endpoint(id) else { throw .unknownEndpoint(id) }
        return endpoint
    }

    func event(_ id: EventID) throws(ReducerError) -> EventIndexEntry? {
        try self.decode(.events, ProjectionKeys.event(id)) { bytes throws(RecordDecodingError) in try EventIndexEntry(decoding: bytes) }
    }

    func delivery(_ id: DeliveryID) throws(ReducerError) -> DeliveryState? {
        try self.decode(.deliveries, ProjectionKeys.delivery(id)) { bytes throws(RecordDecodingError) in try DeliveryState(decoding: bytes) }
    }

    func requireDelivery(_ id: DeliveryID) throws(ReducerError) -> DeliveryState {
        guard let delivery = try self.delivery(id) else { throw .unknownDelivery(id) }
        return delivery
    }

    func replay(_ id: ReplayID) throws(ReducerError) -> ReplayState? {
        try self.decode(.replays, ProjectionKeys.replay(id)) { bytes throws(RecordDecodingError) in try ReplayState(decoding: bytes) }
    }

    func requireReplay(_ id: ReplayID) throws(ReducerError) -> ReplayState {
        guard let replay = try self.replay(id) else { throw .unknownReplay(id) }
        return replay
    }

    func invocation(_ id: InvocationID) throws(ReducerError) -> InvocationState? {
        try self.decode(.invocations, ProjectionKeys.invocation(id)) { bytes throws(RecordDecodingError) in try InvocationState(decoding: bytes) }
    }

    // MARK: Typed writes

    mutating func putTenant(_ id: TenantID, _ tenant: TenantState) {
        self.put(.tenants, ProjectionKeys.tenant(id), tenant.encode())
    }

    mutating func putEndpoint(_ id: EndpointID, _ endpoint: EndpointState) {
        self.put(.endpoints, ProjectionKeys.endpoint(id), endpoint.encode())
    }

    mutating func putDelivery(_ id: DeliveryID, _ delivery: DeliveryState) {
        self.put(.deliveries, ProjectionKeys.delivery(id), delivery.encode())
    }

    mutating func putReplay(_ id: ReplayID, _ replay: ReplayState) {
        self.put(.replays, ProjectionKeys.replay(id), replay.encode())
    }

    mutating func putInvocation(_ id: InvocationID, _ invocation: InvocationState) {
        self.put(.invocations, ProjectionKeys.invocation(id), invocation.encode())
    }
}
