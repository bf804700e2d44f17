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
    public func tenant(ofEndpoint endpointId: EndpointID) throws -> TenantID? {
        if let owner = try self.tenant(ofLiveEndpoint: endpointId) { return owner }
        let prefix = ProjectionKeys.endpoint(endpointId)
        var owner: TenantID?
        try self.scan(.endpointDeliveries, from: prefix) { key, _ in
            if key.starts(with: prefix), let deliveryId = DeliveryID(bytes: key[(key.count - DeliveryID.byteCount)...]) {
                owner = try self.tenant(ofDelivery: deliveryId)
            }
            return false
        }
        return owner
    }
}
