public import HooklogCore

extension HooklogStore {
    /// Creates an endpoint of `tenantId`.
    public func createEndpoint(tenantId: TenantID, _ draft: EndpointDraft, nowMs: UInt64, maxPerTenant: Int = .max) async throws -> EndpointID {
        try await self.command { writer, snapshot in
            // Counted in the command, so that concurrent creations cannot pass the limit together.
            var count = 0
            try snapshot.keys(in: .tenantEndpoints, withPrefix: ProjectionKeys.tenant(tenantId)) { _ in
                count += 1
                return count < maxPerTenant
            }
            guard count < maxPerTenant else { throw TooManyEndpoints(limit: maxPerTenant) }
            var random = IdentifierRandom()
            let endpointId = EndpointID.generate(timeMs: nowMs, using: &random)
            try writer.append(.endpointCreated(EndpointCreated(
                endpointId: endpointId,
                tenantId: tenantId,
                url: draft.url,
                description: draft.description,
                enabledEvents: draft.enabledEvents,
                profile: draft.profile,
                signingSecret: draft.signingSecret,
                bearerToken: draft.bearerToken,
                metadata: draft.metadata,
                createdAtMs: nowMs
            )))
            return endpointId
        }
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
