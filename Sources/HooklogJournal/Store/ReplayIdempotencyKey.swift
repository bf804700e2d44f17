public import HooklogCore

/// The `Idempotency-Key` a replay request carried, and whose key it is: the tenant's whose API
/// key asked, or (`nil`) the admin's, whichever tenant the request names.
public struct ReplayIdempotencyKey: Sendable, Equatable {
    public let key: String
    public let ownerTenantId: TenantID?

    /// `key`, of `ownerTenantId` (`nil`: the admin).
    public init(_ key: String, of ownerTenantId: TenantID?) {
        self.key = key
        self.ownerTenantId = ownerTenantId
    }
}
