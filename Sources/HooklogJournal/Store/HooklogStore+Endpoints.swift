public import HooklogCore

extension HooklogStore {
    /// Creates an endpoint of `tenantId`. A request repeated with its `idempotentRequest`'s key
    /// and the same body gets the endpoint as the first one created it, and journals nothing;
    /// with another body it is refused (`IdempotencyKeyReused`), and so it is once
    /// `repeatAnswerWindowMs` have passed (`IdempotentAnswerExpired`): the answer holds the
    /// signing secret, which is not to be had again for ever by whoever can guess the request.
    public func createEndpoint(
        tenantId: TenantID,
        _ draft: EndpointDraft,
        idempotentRequest: IdempotentRequest? = nil,
        nowMs: UInt64,
        maxPerTenant: Int = .max
    ) async throws -> CreatedEndpoint {
        try await self.command { writer, snapshot in
            if let request = idempotentRequest, let first = try snapshot.projections.endpoint(ofIdempotencyKey: request.key, tenantId: tenantId) {
                return try StoreCommands.repeatedCreation(of: first.endpointId, at: first.sequence, for: request, nowMs: nowMs, snapshot: snapshot)
            }
            // Counted in the command, so that concurrent creations cannot pass the limit together.
            var count = 0
            try snapshot.keys(in: .tenantEndpoints, withPrefix: ProjectionKeys.tenant(tenantId)) { _ in
                count += 1
                return count < maxPerTenant
            }
            guard count < maxPerTenant else { throw TooManyEndpoints(limit: maxPerTenant) }
            var random = IdentifierRandom()
            let record = EndpointCreated(
                endpointId: EndpointID.generate(timeMs: nowMs, using: &random),
                tenantId: tenantId,
                url: draft.url,
                description: draft.description,
                enabledEvents: draft.enabledEvents,
                profile: draft.profile,
                signingSecret: draft.signingSecret,
                bearerToken: draft.bearerToken,
                metadata: draft.metadata,
                createdAtMs: nowMs,
                idempotentRequest: idempotentRequest
            )
            let sequence = try writer.append(.endpointCreated(record))
            return CreatedEndpoint(endpointId: record.endpointId, state: EndpointState(created: record, sequence: sequence), isRepeat: false)
        }
    }

    /// How long a repeated creation gets the first answer, from the creation, and a repeated
    /// retry is answered as one, from the retry: 24 hours, as Stripe keeps its idempotent answers.
    public static let repeatAnswerWindowMs: UInt64 = 24 * 3_600_000

    /// Whether `tenantId` has created an endpoint with idempotency key `key`.
    public func hasCreatedEndpoint(withIdempotencyKey key: String, tenantId: TenantID) throws -> Bool {
        try self.read { try $0.projections.endpoint(ofIdempotencyKey: key, tenantId: tenantId) != nil }
    }

    /// Disables an endpoint: cancels its waiting deliveries and tells the tenant's other endpoints
    /// that subscribe to `endpoint.disabled`. Returns `false` when it was not enabled.
    @discardableResult
    public func disableEndpoint(_ endpointId: EndpointID, reason: EndpointDisabledReason, nowMs: UInt64) async throws -> Bool {
        try await self.command { writer, snapshot in
            guard let endpoint = try snapshot.projections.endpoint(endpointId), endpoint.status == .enabled else { return false }
            try StoreCommands.disable(endpointId, endpoint, reason: reason, nowMs: nowMs, writer: &writer, snapshot: snapshot)
            return true
        }
    }
}

/// Why an endpoint was not created: its tenant has as many as it may.
public struct TooManyEndpoints: Error, Sendable {
    /// The most endpoints a tenant may have.
    public let limit: Int
}

/// An endpoint as its creation left it.
public struct CreatedEndpoint: Sendable {
    public let endpointId: EndpointID
    /// The endpoint as created: what the creating request is answered with, first and repeated.
    public let state: EndpointState
    /// Whether this answers a repeated idempotency key (nothing new was journaled).
    public let isRepeat: Bool
}

extension StoreCommands {
    /// The answer to a repeat of the request that created `endpointId` (its `EndpointCreated`
    /// at `sequence`), if `request` is that request again, within the answer's window.
    static func repeatedCreation(
        of endpointId: EndpointID,
        at sequence: UInt64,
        for request: IdempotentRequest,
        nowMs: UInt64,
        snapshot: StoreSnapshot
    ) throws -> CreatedEndpoint {
        guard case .endpointCreated(let created)? = try snapshot.record(at: sequence), created.endpointId == endpointId else {
            throw ProjectionsDisagreeWithLog(description: "idempotency key \"\(request.key)\": the record at sequence \(sequence) did not create endpoint \(endpointId)")
        }
        guard created.idempotentRequest == request else { throw IdempotencyKeyReused(idempotencyKey: request.key, creation: .endpoint) }
        guard nowMs < created.createdAtMs + HooklogStore.repeatAnswerWindowMs else {
            throw IdempotentAnswerExpired(idempotencyKey: request.key, endpointId: endpointId, createdAtMs: created.createdAtMs)
        }
        return CreatedEndpoint(endpointId: endpointId, state: EndpointState(created: created, sequence: sequence), isRepeat: true)
    }
}

/// A creation repeated with its `Idempotency-Key` after `HooklogStore.repeatAnswerWindowMs`: the
/// endpoint the key created is not shown again (its answer holds the signing secret), and no
/// other is created under the key.
public struct IdempotentAnswerExpired: Error, Sendable, Equatable {
    public let idempotencyKey: String
    public let endpointId: EndpointID
    public let createdAtMs: UInt64
}
