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

    /// The event that a tenant's idempotency key created, and the sequence of its
    /// `EventReceived`, if an event took the key.
    public func event(ofIdempotencyKey key: String, tenantId: TenantID) throws -> (eventId: EventID, sequence: UInt64)? {
        let entry: IdempotencyEntry? = try self.row(IdempotencyEntry.Key(tenantId: tenantId, idempotencyKey: key))
        guard let entry, let eventId = entry.eventId else { return nil }
        return (eventId, entry.sequence)
    }

    /// The endpoint that a tenant's idempotency key created, and the sequence of its
    /// `EndpointCreated`, if an endpoint took the key.
    public func endpoint(ofIdempotencyKey key: String, tenantId: TenantID) throws -> (endpointId: EndpointID, sequence: UInt64)? {
        let entry: IdempotencyEntry? = try self.row(IdempotencyEntry.Key(endpointsOf: tenantId, idempotencyKey: key))
        guard let entry, case .endpoint(let endpointId) = entry.use else { return nil }
        return (endpointId, entry.sequence)
    }

    /// The delivery that a tenant's latest manual retry with idempotency key `key` sent again,
    /// and the sequence of its `DeliveryRetryScheduled`, if a retry took the key.
    public func retriedDelivery(ofIdempotencyKey key: String, tenantId: TenantID) throws -> (deliveryId: DeliveryID, sequence: UInt64)? {
        let entry: IdempotencyEntry? = try self.row(IdempotencyEntry.Key(retriesOf: tenantId, idempotencyKey: key))
        guard let entry, case .retry(let deliveryId) = entry.use else { return nil }
        return (deliveryId, entry.sequence)
    }

    /// The tenant that the admin's tenant creation with idempotency key `key` created, and the
    /// sequence of its `TenantCreated`, if one took the key.
    public func tenant(ofIdempotencyKey key: String) throws -> (tenantId: TenantID, sequence: UInt64)? {
        let entry: IdempotencyEntry? = try self.row(IdempotencyEntry.Key(tenantCreationsWithIdempotencyKey: key))
        guard let entry, case .tenant(let tenantId) = entry.use else { return nil }
        return (tenantId, entry.sequence)
    }

    /// The sequence of the `ReplayAnswered` record that answered a replay request carrying
    /// idempotency key `key`, `tenantId`'s or (`nil`) the admin's, if one did.
    public func replayAnswerSequence(ofIdempotencyKey key: String, replaysOf tenantId: TenantID?) throws -> UInt64? {
        let entry: IdempotencyEntry? = try self.row(IdempotencyEntry.Key(replaysOf: tenantId, idempotencyKey: key))
        guard let entry, entry.use == .replay else { return nil }
        return entry.sequence
    }

    /// The tenant whose API key hashes to `apiKeyHash`, if any. A damaged entry throws, as it
    /// does for the reducer: read as no tenant, it would answer 401 with nothing said.
    public func tenantId(forAPIKeyHash apiKeyHash: SHA256Digest) throws -> TenantID? {
        try DecodedProjections(self).tenantId(forAPIKeyHash: apiKeyHash)
    }

    /// The row `id`, in its type's table under its type's key. Inlined so that each lookup
    /// decodes with its concrete type's decoder.
    @inline(__always)
    private func row<Entity: ProjectedEntity>(_ id: Entity.ID) throws -> Entity? {
        try self.value(in: Entity.table, forKey: Entity.key(id)).map { try Entity(decoding: $0) }
    }
}
