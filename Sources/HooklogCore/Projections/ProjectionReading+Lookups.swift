/// Typed lookups over any projection store, for commands and queries (the reducer keeps its own,
/// which turn failures into `ReducerError`).
extension ProjectionReading {
    /// The tenant `id`, if it exists.
    public func tenant(_ id: TenantID) throws -> TenantState? {
        try self.value(in: .tenants, forKey: ProjectionKeys.tenant(id)).map { try TenantState(decoding: $0) }
    }

    /// The endpoint `id`, if it exists (deleted endpoints do not).
    public func endpoint(_ id: EndpointID) throws -> EndpointState? {
        try self.value(in: .endpoints, forKey: ProjectionKeys.endpoint(id)).map { try EndpointState(decoding: $0) }
    }

    /// The event `id`'s index entry, if it exists.
    public func event(_ id: EventID) throws -> EventIndexEntry? {
        try self.value(in: .events, forKey: ProjectionKeys.event(id)).map { try EventIndexEntry(decoding: $0) }
    }

    /// The delivery `id`, if it exists.
    public func delivery(_ id: DeliveryID) throws -> DeliveryState? {
        try self.value(in: .deliveries, forKey: ProjectionKeys.delivery(id)).map { try DeliveryState(decoding: $0) }
    }

    /// The invocation `id`, if it was journaled.
    public func invocation(_ id: InvocationID) throws -> InvocationState? {
        try self.value(in: .invocations, forKey: ProjectionKeys.invocation(id)).map { try InvocationState(decoding: $0) }
    }

    /// The replay `id`, if it was requested.
    public func replay(_ id: ReplayID) throws -> ReplayState? {
        try self.value(in: .replays, forKey: ProjectionKeys.replay(id)).map { try ReplayState(decoding: $0) }
    }

    /// The first answer to a tenant's idempotency key, if the key was used.
    public func idempotencyEntry(tenantId: TenantID, key: String) throws -> IdempotencyEntry? {
        try self.value(in: .idempotency, forKey: ProjectionKeys.idempotency(IdempotencyEntry.Key(tenantId: tenantId, idempotencyKey: key)))
            .map { try IdempotencyEntry(decoding: $0) }
    }

    /// The tenant whose API key hashes to `apiKeyHash`, if any.
    public func tenantId(forAPIKeyHash apiKeyHash: SHA256Digest) throws -> TenantID? {
        try self.value(in: .apiKeys, forKey: ProjectionKeys.apiKey(apiKeyHash)).flatMap { TenantID(bytes: $0) }
    }
}
