public import HooklogCore

extension HooklogStore {
    /// Creates a tenant; only the hash of its API key is journaled. Its deliveries to inline
    /// `webhook_url`s go out under `inlineProfile`, signed with `defaultSigningSecret`.
    public func createTenant(
        name: String,
        apiKeyHash: SHA256Digest,
        defaultSigningSecret: String,
        inlineProfile: String = WireProfile.defaultName,
        nowMs: UInt64
    ) async throws -> TenantID {
        try await self.command { writer, _ in
            var random = IdentifierRandom()
            let tenantId = TenantID.generate(timeMs: nowMs, using: &random)
            try writer.append(.tenantCreated(TenantCreated(
                tenantId: tenantId,
                name: name,
                apiKeyHash: apiKeyHash,
                defaultSigningSecret: defaultSigningSecret,
                inlineProfile: inlineProfile,
                createdAtMs: nowMs
            )))
            return tenantId
        }
    }
}
