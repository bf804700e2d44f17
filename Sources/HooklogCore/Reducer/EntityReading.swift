/// The projections as the reducer reads them: rows by id, decoded.
///
/// The journal's store reads them from bytes (`DecodedProjections`); a rebuild keeps the rows it
/// has reduced as values and reads those, so that it never decodes what it has just encoded.
public protocol EntityReading {
    func tenant(_ id: TenantID) throws(ReducerError) -> TenantState?
    /// The tenant whose API key hashes to `apiKeyHash`, if any.
    func tenantId(forAPIKeyHash apiKeyHash: SHA256Digest) throws(ReducerError) -> TenantID?
    func endpoint(_ id: EndpointID) throws(ReducerError) -> EndpointState?
    func event(_ id: EventID) throws(ReducerError) -> EventIndexEntry?
    func idempotencyEntry(_ key: IdempotencyEntry.Key) throws(ReducerError) -> IdempotencyEntry?
    func delivery(_ id: DeliveryID) throws(ReducerError) -> DeliveryState?
    func replay(_ id: ReplayID) throws(ReducerError) -> ReplayState?
    func invocation(_ id: InvocationID) throws(ReducerError) -> InvocationState?
}

/// The rows of a store that holds projections as bytes, decoded as they are read.
public struct DecodedProjections<Stored: ProjectionReading>: EntityReading {
    public let stored: Stored

    public init(_ stored: Stored) {
        self.stored = stored
    }

    public func tenant(_ id: TenantID) throws(ReducerError) -> TenantState? { try self.row(id) }
    public func endpoint(_ id: EndpointID) throws(ReducerError) -> EndpointState? { try self.row(id) }
    public func event(_ id: EventID) throws(ReducerError) -> EventIndexEntry? { try self.row(id) }
    public func idempotencyEntry(_ key: IdempotencyEntry.Key) throws(ReducerError) -> IdempotencyEntry? { try self.row(key) }
    public func delivery(_ id: DeliveryID) throws(ReducerError) -> DeliveryState? { try self.row(id) }
    public func replay(_ id: ReplayID) throws(ReducerError) -> ReplayState? { try self.row(id) }
    public func invocation(_ id: InvocationID) throws(ReducerError) -> InvocationState? { try self.row(id) }

    public func tenantId(forAPIKeyHash apiKeyHash: SHA256Digest) throws(ReducerError) -> TenantID? {
        guard let bytes = try self.bytes(in: .apiKeys, forKey: ProjectionKeys.apiKey(apiKeyHash)) else { return nil }
        guard let tenantId = TenantID(bytes: bytes) else {
            throw .corruptProjection(.apiKeys, .invalidValue(offset: 0, "\(bytes.count) bytes are no tenant id"))
        }
        return tenantId
    }

    // Inlined so that each caller decodes with its concrete type's decoder, specialized for arrays.
    @inline(__always)
    private func row<Entity: ProjectedEntity>(_ id: Entity.ID) throws(ReducerError) -> Entity? {
        guard let bytes = try self.bytes(in: Entity.table, forKey: Entity.key(id)) else { return nil }
        do {
            return try Entity(decoding: bytes)
        } catch {
            throw .corruptProjection(Entity.table, error)
        }
    }

    private func bytes(in table: ProjectionTable, forKey key: [UInt8]) throws(ReducerError) -> [UInt8]? {
        do {
            return try self.stored.value(in: table, forKey: key)
        } catch {
            throw .readFailed(table, error)
        }
    }
}
