public import HooklogCore

extension HooklogStore {
    /// Creates a tenant; only the hash of its API key is journaled. Its deliveries to inline
    /// `webhook_url`s go out under `inlineProfile`, signed with `defaultSigningSecret`.
    ///
    /// A request repeated with its `idempotentRequest`'s key and the same body creates nothing
    /// and is told which tenant the first created (`TenantAlreadyCreated`): the first answer
    /// cannot be given again, as the API key it held is not kept. With another body it is
    /// refused (`IdempotencyKeyReused`).
    public func createTenant(
        name: String,
        apiKeyHash: SHA256Digest,
        defaultSigningSecret: String,
        inlineProfile: String = WireProfile.defaultName,
        idempotentRequest: IdempotentRequest? = nil,
        nowMs: UInt64
    ) async throws -> TenantID {
        try await self.command { writer, snapshot in
            if let request = idempotentRequest, let first = try snapshot.projections.tenant(ofIdempotencyKey: request.key) {
                guard case .tenantCreated(let created)? = try snapshot.record(at: first.sequence), created.tenantId == first.tenantId else {
                    throw ProjectionsDisagreeWithLog(description: "idempotency key \"\(request.key)\": the record at sequence \(first.sequence) did not create tenant \(first.tenantId)")
                }
                guard created.idempotentRequest == request else { throw IdempotencyKeyReused(idempotencyKey: request.key, creation: .tenant) }
                throw TenantAlreadyCreated(idempotencyKey: request.key, tenantId: first.tenantId, createdAtMs: created.createdAtMs)
            }
            var random = IdentifierRandom()
            let tenantId = TenantID.generate(timeMs: nowMs, using: &random)
            try writer.append(.tenantCreated(TenantCreated(
                tenantId: tenantId,
                name: name,
                apiKeyHash: apiKeyHash,
                defaultSigningSecret: defaultSigningSecret,
                inlineProfile: inlineProfile,
                createdAtMs: nowMs,
                idempotentRequest: idempotentRequest
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

    /// Gives tenant `tenantId` the inline signing secret `newSecret`, made for its inline profile;
    /// the one it replaces signs beside it for `gracePeriodMs`. Returns `false` when there is no
    /// such tenant.
    public func rotateTenantInlineSecret(_ tenantId: TenantID, newSecret: String, gracePeriodMs: UInt64, nowMs: UInt64) async throws -> Bool {
        try await self.command { writer, snapshot in
            guard try snapshot.projections.tenant(tenantId) != nil else { return false }
            try writer.append(.tenantInlineSecretRotated(TenantInlineSecretRotated(
                tenantId: tenantId, newSecret: newSecret, previousSecretValidUntilMs: nowMs + gracePeriodMs, rotatedAtMs: nowMs
            )))
            return true
        }
    }
}

/// A tenant creation repeated with its `Idempotency-Key` and the same body: the first created
/// `tenantId`, and nothing more is created. Its answer cannot be given again, as the API key it
/// held is kept only as a hash; the admin may give the tenant a new key instead
/// (`rotateTenantAPIKey`).
public struct TenantAlreadyCreated: Error, Sendable, Equatable {
    public let idempotencyKey: String
    public let tenantId: TenantID
    public let createdAtMs: UInt64
}
