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

    /// Gives tenant `tenantId` the API key hashing to `apiKeyHash`; its old key stops working
    /// with this command's batch. Returns `false` when there is no such tenant.
    public func rotateTenantAPIKey(_ tenantId: TenantID, apiKeyHash: SHA256Digest, nowMs: UInt64) async throws -> Bool {
        try await self.command { writer, snapshot in
            guard try snapshot.projections.tenant(tenantId) != nil else { return false }
            try writer.append(.tenantAPIKeyRotated(TenantAPIKeyRotated(tenantId: tenantId, apiKeyHash: apiKeyHash, rotatedAtMs: nowMs)))
            return true
        }
    }
}
