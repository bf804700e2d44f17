extension Reduction {
    /// A new endpoint, enabled, listed under its tenant, and its request's idempotency key.
    mutating func apply(_ record: EndpointCreated) throws(ReducerError) {
        guard try self.endpoint(record.endpointId) == nil else { throw .duplicate("endpoint \(record.endpointId)") }
        _ = try self.requireTenant(record.tenantId)
        self.putEndpoint(record.endpointId, EndpointState(created: record, sequence: self.sequence))
        if let request = record.idempotentRequest {
            let key = IdempotencyEntry.Key(endpointsOf: record.tenantId, idempotencyKey: request.key)
            // The create command answers a repeated key with the first answer and journals nothing.
            guard try self.idempotencyEntry(key) == nil else { throw .duplicate("idempotency key of endpoint \(record.endpointId)") }
            self.putIdempotencyEntry(key, IdempotencyEntry(.endpoint(record.endpointId), sequence: self.sequence))
        }
    }

    /// The changed fields, enabled or not. A new URL starts its health afresh: the failures
    /// were the old URL's.
    mutating func apply(_ record: EndpointUpdated) throws(ReducerError) {
        var endpoint = try self.requireEndpoint(record.endpointId, namedTenant: record.tenantId)
        if let url = record.url { endpoint.move(to: url, atSequence: self.sequence) }
        if let description = record.description { endpoint.description = description }
        if let enabledEvents = record.enabledEvents { endpoint.enabledEvents = enabledEvents }
        if let profile = record.profile { endpoint.profile = profile }
        endpoint.bearerToken = record.bearerToken.applied(to: endpoint.bearerToken)
        endpoint.metadata = record.metadata.applied(to: endpoint.metadata)
        endpoint.updatedAtMs = record.updatedAtMs
        self.putEndpoint(record.endpointId, endpoint)
    }

    /// The new secret signs; the one it replaces keeps signing until its deadline, beside those
    /// replaced before whose deadlines are still ahead.
    mutating func apply(_ record: EndpointSecretRotated) throws(ReducerError) {
        var endpoint = try self.requireEndpoint(record.endpointId, namedTenant: record.tenantId)
        endpoint.previousSecrets = PreviousSecret.retiring(
            endpoint.signingSecret, untilMs: record.previousSecretValidUntilMs, atMs: record.rotatedAtMs, before: endpoint.previousSecrets
        )
        endpoint.signingSecret = record.newSecret
        endpoint.updatedAtMs = record.rotatedAtMs
        self.putEndpoint(record.endpointId, endpoint)
    }

    /// Disabled, with its reason: a change of the endpoint (`updatedAtMs`), whoever made it. Its
    /// deliveries are cancelled by their own records, not here.
    mutating func apply(_ record: EndpointDisabled) throws(ReducerError) {
        var endpoint = try self.requireEndpoint(record.endpointId, namedTenant: record.tenantId)
        guard endpoint.status == .enabled else { throw .invalidTransition("endpoint \(record.endpointId) is already disabled") }
        endpoint.status = .disabled(reason: record.reason, atMs: record.disabledAtMs)
        endpoint.updatedAtMs = record.disabledAtMs
        self.putEndpoint(record.endpointId, endpoint)
    }

    /// Enabled again, with a clean health record: a change of the endpoint (`updatedAtMs`).
    mutating func apply(_ record: EndpointEnabled) throws(ReducerError) {
        var endpoint = try self.requireEndpoint(record.endpointId, namedTenant: record.tenantId)
        guard endpoint.status != .enabled else { throw .invalidTransition("endpoint \(record.endpointId) is already enabled") }
        endpoint.status = .enabled
        endpoint.endFailingRun()
        endpoint.updatedAtMs = record.enabledAtMs
        self.putEndpoint(record.endpointId, endpoint)
    }

    /// Gone from `endpoints` and from its tenant's list; its deliveries and their index entries stay.
    mutating func apply(_ record: EndpointDeleted) throws(ReducerError) {
        _ = try self.requireEndpoint(record.endpointId, namedTenant: record.tenantId)
        self.removeEndpoint(record.endpointId)
    }

    /// Updates the health of the endpoint a delivery of `tenantId` went to by an attempt whose
    /// start was journaled at sequence `startedSequence`, if it still exists and is that tenant's
    /// (an id deleted and created again by another tenant is another endpoint), and the attempt
    /// went to its current URL: started after the URL was set, in log order.
    mutating func updateHealth(
        of endpointId: EndpointID,
        for tenantId: TenantID,
        byAttemptStartedAt startedSequence: UInt64,
        _ change: (inout EndpointState) -> Void
    ) throws(ReducerError) {
        guard var endpoint = try self.endpoint(endpointId, ownedBy: tenantId), startedSequence > endpoint.urlSinceSequence else { return }
        let before = endpoint
        change(&endpoint)
        if endpoint != before {
            self.putEndpoint(endpointId, endpoint)
        }
    }
}
