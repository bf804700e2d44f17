public import HooklogCore

extension TransactionProjections {
    /// Endpoint `endpointId` if it is `tenantId`'s: an id deleted and created again for another
    /// tenant is not the endpoint an old delivery of `tenantId` went to.
    public func endpoint(_ endpointId: EndpointID, ownedBy tenantId: TenantID) throws -> EndpointState? {
        try self.endpoint(endpointId).flatMap { $0.tenantId == tenantId ? $0 : nil }
    }

    /// The tenant of endpoint `endpointId`; once the endpoint is deleted, the tenant of its first
    /// delivery (an endpoint delivers for its own tenant only). `nil` when neither is known: an
    /// id never used, or an endpoint deleted without a delivery.
    public func tenantId(ofEndpoint endpointId: EndpointID) throws -> TenantID? {
        if let owner = try self.tenantId(of: endpointId, EndpointState.self) { return owner }
        let prefix = ProjectionKeys.endpoint(endpointId)
        var owner: TenantID?
        try self.scan(.endpointDeliveries, from: prefix) { key, _ in
            if key.starts(with: prefix), let deliveryId = DeliveryID(bytes: key[(key.count - DeliveryID.byteCount)...]) {
                owner = try self.tenantId(ofDelivery: deliveryId)
            }
            return false
        }
        return owner
    }

    /// The tenant of delivery `id`; `nil` when there is none.
    public func tenantId(ofDelivery id: DeliveryID) throws -> TenantID? {
        try self.tenantId(of: id, DeliveryState.self)
    }

    /// The tenant of invocation `id`; `nil` when it was never journaled.
    public func tenantId(ofInvocation id: InvocationID) throws -> TenantID? {
        try self.tenantId(of: id, InvocationState.self)
    }

    /// The tenant at the front of row `id`, read in place: neither the row is decoded nor its
    /// bytes copied (an export asks this of most records).
    private func tenantId<Entity: TenantOwnedEntity>(of id: Entity.ID, _: Entity.Type) throws -> TenantID? {
        try Entity.key(id).withUnsafeBytes { key in
            try self.transaction.withValue(forKey: key, in: self.databases[Entity.table]) { stored in
                try stored.map { try Entity.tenantId(inStored: $0) }
            }
        }
    }
}
