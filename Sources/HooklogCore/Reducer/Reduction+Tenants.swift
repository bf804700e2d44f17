extension Reduction {
    /// A new tenant and its API key.
    mutating func apply(_ record: TenantCreated) throws(ReducerError) {
        guard try self.tenant(record.tenantId) == nil else { throw .duplicate("tenant \(record.tenantId)") }
        guard try !self.apiKeyIsTaken(record.apiKeyHash) else { throw .duplicate("API key of tenant \(record.tenantId)") }
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
}
