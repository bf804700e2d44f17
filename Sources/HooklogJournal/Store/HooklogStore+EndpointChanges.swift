public import HooklogCore

extension HooklogStore {
    /// Changes an endpoint of `tenantId` and, if asked, enables or disables it; returns the
    /// endpoint as it is afterwards, or `nil` when the tenant has no such endpoint. Disabling
    /// cancels its waiting deliveries and emits `endpoint.disabled`, as any disabling does.
    ///
    /// `validate` judges the endpoint as the change leaves it, against the state the change is
    /// applied to (not one read earlier, which a concurrent change may have moved on); when it
    /// throws, nothing is changed and its error comes back.
    public func updateEndpoint(
        _ endpointId: EndpointID,
        tenantId: TenantID,
        _ change: EndpointChange,
        nowMs: UInt64,
        validate: @escaping @Sendable (EndpointState) throws -> Void = { _ in }
    ) async throws -> EndpointState? {
        try await self.command { writer, snapshot in
            guard let endpoint = try snapshot.projections.endpoint(endpointId, ownedBy: tenantId) else { return nil }
            if change.changesConfiguration {
                try writer.append(.endpointUpdated(EndpointUpdated(
                    tenantId: tenantId,
                    endpointId: endpointId,
                    url: change.url,
                    description: change.description,
                    enabledEvents: change.enabledEvents,
                    profile: change.profile,
                    bearerToken: change.bearerToken,
                    metadata: change.metadata,
                    updatedAtMs: nowMs
                )))
            }
            switch (change.isEnabled, endpoint.status) {
            case (true?, .disabled):
                try writer.append(.endpointEnabled(EndpointEnabled(tenantId: tenantId, endpointId: endpointId, enabledAtMs: nowMs)))
            case (false?, .enabled):
                let current = try snapshot.projections.endpoint(endpointId) ?? endpoint
                try StoreCommands.disable(endpointId, current, reason: .byUser, nowMs: nowMs, writer: &writer, snapshot: snapshot)
            default:
                break
            }
            let changed = try snapshot.projections.endpoint(endpointId)
            if let changed { try validate(changed) }
            return changed
        }
    }

    /// Deletes an endpoint of `tenantId`: its waiting deliveries are cancelled first (an attempt
    /// in flight finishes, and is not retried). Returns `false` when the tenant has no such endpoint.
    public func deleteEndpoint(_ endpointId: EndpointID, tenantId: TenantID, nowMs: UInt64) async throws -> Bool {
        try await self.command { writer, snapshot in
            guard try snapshot.projections.endpoint(endpointId, ownedBy: tenantId) != nil else { return false }
            for deliveryId in try StoreCommands.waitingDeliveries(to: endpointId, of: tenantId, in: snapshot) {
                try writer.append(.deliveryCancelled(DeliveryCancelled(deliveryId: deliveryId, cancelledAtMs: nowMs, reason: .endpointDeleted)))
            }
            try writer.append(.endpointDeleted(EndpointDeleted(tenantId: tenantId, endpointId: endpointId, deletedAtMs: nowMs)))
            return true
        }
    }

    /// Gives an endpoint of `tenantId` a new signing secret; the one it replaces keeps signing
    /// beside it for `gracePeriodMs`. Returns the endpoint afterwards, or `nil` when the tenant
    /// has no such endpoint. The secret, made for `profile`'s signature scheme, is given only if
    /// the endpoint still has that profile: `.profileChanged` when a change of profile came
    /// first, and nothing is journaled.
    public func rotateEndpointSecret(
        _ endpointId: EndpointID,
        tenantId: TenantID,
        newSecret: String,
        madeFor profile: String,
        gracePeriodMs: UInt64,
        nowMs: UInt64
    ) async throws -> SecretRotation {
        try await self.command { writer, snapshot in
            guard let endpoint = try snapshot.projections.endpoint(endpointId, ownedBy: tenantId) else { return .notFound }
            guard endpoint.profile == profile else { return .profileChanged }
            try writer.append(.endpointSecretRotated(EndpointSecretRotated(
                tenantId: tenantId,
                endpointId: endpointId,
                newSecret: newSecret,
                previousSecretValidUntilMs: nowMs + gracePeriodMs,
                rotatedAtMs: nowMs
            )))
            return try snapshot.projections.endpoint(endpointId).map(SecretRotation.rotated) ?? .notFound
        }
    }
}

/// What `rotateEndpointSecret` did.
public enum SecretRotation: Sendable, Equatable {
    /// The endpoint has the new secret; the endpoint as it is now.
    case rotated(EndpointState)
    /// The tenant has no such endpoint.
    case notFound
    /// The endpoint's profile is no longer the one the secret was made for.
    case profileChanged
}
