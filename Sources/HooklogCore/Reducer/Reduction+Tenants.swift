extension Reduction {
    /// A new tenant and its API key, and its creating request's idempotency key.
    mutating func apply(_ record: TenantCreated) throws(ReducerError) {
        guard try self.tenant(record.tenantId) == nil else { throw .duplicate("tenant \(record.tenantId)") }
        guard try !self.apiKeyIsTaken(record.apiKeyHash) else { throw .duplicate("API key of tenant \(record.tenantId)") }
        if let request = record.idempotentRequest {
            let key = IdempotencyEntry.Key(tenantCreationsWithIdempotencyKey: request.key)
            // The create command answers a repeated key and journals nothing.
            guard try self.idempotencyEntry(key) == nil else { throw .duplicate("idempotency key of tenant \(record.tenantId)") }
            self.putIdempotencyEntry(key, IdempotencyEntry(.tenant(record.tenantId), sequence: self.sequence))
        }
        self.putTenant(record.tenantId, TenantState(
            name: record.name,
            apiKeyHash: record.apiKeyHash,
            defaultSigningSecret: record.defaultSigningSecret,
            inlineProfile: record.inlineProfile,
            createdAtMs: record.createdAtMs
        ))
    }

    /// The tenant's new API key; the old one finds it no more.
    mutating func apply(_ record: TenantAPIKeyRotated) throws(ReducerError) {
        var tenant = try self.requireTenant(record.tenantId)
        guard try !self.apiKeyIsTaken(record.apiKeyHash) else { throw .duplicate("API key of tenant \(record.tenantId)") }
        tenant.apiKeyHash = record.apiKeyHash
        self.putTenant(record.tenantId, tenant)
    }

    /// The tenant's new inline signing secret; the one it replaces signs beside it until the
    /// deadline, as do those replaced before whose deadlines are still ahead.
    mutating func apply(_ record: TenantInlineSecretRotated) throws(ReducerError) {
        var tenant = try self.requireTenant(record.tenantId)
        tenant.previousSigningSecrets = PreviousSecret.retiring(
            tenant.defaultSigningSecret, untilMs: record.previousSecretValidUntilMs, atMs: record.rotatedAtMs, before: tenant.previousSigningSecrets
        )
        tenant.defaultSigningSecret = record.newSecret
        self.putTenant(record.tenantId, tenant)
    }
}
