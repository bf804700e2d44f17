public import HooklogCore

extension HooklogStore {
    /// Creates an endpoint of `tenantId`.
    public func createEndpoint(tenantId: TenantID, _ draft: EndpointDraft, nowMs: UInt64) async throws -> EndpointID {
        try await self.command { writer, _ in
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
