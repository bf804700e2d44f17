extension Reduction {
    /// A new tenant and its API key.
    mutating func apply(_ record: TenantCreated) throws(ReducerError) {
        guard try self.tenant(record.tenantId) == nil else { throw .duplicate("tenant \(record.tenantId)") }
        let apiKey = ProjectionKeys.apiKey(record.apiKeyHash)
        guard try !self.exists(.apiKeys, apiKey) else { throw .duplicate("API key of tenant \(record.tenantId)") }
        self.putTenant(record.tenantId, TenantState(
            name: record.name,
            apiKeyHash: record.apiKeyHash,
            defaultSigningSecret: record.defaultSigningSecret,
            createdAtMs: record.createdAtMs
        ))
        self.put(.apiKeys, apiKey, record.tenantId.bytes)
    }
}
