/// Typed lookups over any projection store, for commands and queries (the reducer reads through
/// `DecodedProjections`, which turns failures into `ReducerError`).
extension ProjectionReading {
    /// The tenant `id`, if it exists.
    public func tenant(_ id: TenantID) throws -> TenantState? { try self.row(id) }

    /// The endpoint `id`, if it exists (deleted endpoints do not).
    public func endpoint(_ id: EndpointID) throws -> EndpointState? { try self.row(id) }

    /// The event `id`'s index entry, if it exists.
    public func event(_ id: EventID) throws -> EventIndexEntry? { try self.row(id) }

    /// The delivery `id`, if it exists.
    public func delivery(_ id: DeliveryID) throws -> DeliveryState? { try self.row(id) }

    /// The invocation `id`, if it was journaled.
    public func invocation(_ id: InvocationID) throws -> InvocationState? { try self.row(id) }

    /// The replay `id`, if it was requested.
    public func replay(_ id: ReplayID) throws -> ReplayState? { try self.row(id) }

    /// The first answer to a tenant's idempotency key, if the key was used.
    public func idempotencyEntry(tenantId: TenantID, key: String) throws -> IdempotencyEntry? {
        try self.row(IdempotencyEntry.Key(tenantId: tenantId, idempotencyKey: key))
    }

    /// The tenant whose API key hashes to `apiKeyHash`, if any.
    public func tenantId(forAPIKeyHash apiKeyHash: SHA256Digest) throws -> TenantID? {
        try self.value(in: .apiKeys, forKey: ProjectionKeys.apiKey(apiKeyHash)).flatMap { TenantID(bytes: $0) }
    }

    /// The row `id`, in its type's table under its type's key. Inlined so that each lookup
    /// decodes with its concrete type's decoder.
    @inline(__always)
    private func row<Entity: ProjectedEntity>(_ id: Entity.ID) throws -> Entity? {
        try self.value(in: Entity.table, forKey: Entity.key(id)).map { try Entity(decoding: $0) }
    }
}
