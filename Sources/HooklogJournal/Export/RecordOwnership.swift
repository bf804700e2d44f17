import HooklogCore

/// Whose a record is: the tenant it names, or the tenant of the delivery, endpoint or invocation
/// it names, looked up in the projections.
enum RecordOwnership {
    /// The tenant the record itself carries, if it carries one.
    static func carriedTenant(of record: Record) -> TenantID? {
        switch record {
        case .tenantCreated(let value): value.tenantId
        case .tenantAPIKeyRotated(let value): value.tenantId
        case .tenantInlineSecretRotated(let value): value.tenantId
        case .endpointCreated(let value): value.tenantId
        case .endpointUpdated(let value): value.tenantId
        case .endpointSecretRotated(let value): value.tenantId
        case .endpointDisabled(let value): value.tenantId
        case .endpointEnabled(let value): value.tenantId
        case .endpointDeleted(let value): value.tenantId
        case .eventReceived(let value): value.tenantId
        case .deliveryPlanned(let value): value.tenantId
        case .replayRequested(let value): value.tenantId
        case .replayAnswered(let value): value.tenantId
        case .invocationStarted(let value): value.tenantId
        default: nil
        }
    }

    /// The tenant that owns the record; `nil` when it cannot be told, and such a record is then
    /// nobody's but the admin's: an endpoint record written before codec version 2 (which named
    /// no tenant) for an endpoint since deleted without a single delivery. `encoded` is the
    /// record's own bytes.
    static func owner(of record: Record, encoded: UnsafeRawBufferPointer, in projections: TransactionProjections<ReadTransaction>) throws -> TenantID? {
        if let tenantId = Self.carriedTenant(of: record) { return tenantId }
        // Attempts and outcomes name their delivery, first in their bytes.
        if let deliveryId = Record.deliveryId(inEncoded: encoded) { return try projections.tenantId(ofDelivery: deliveryId) }
        switch record {
        case .endpointUpdated(let value): return try projections.tenantId(ofEndpoint: value.endpointId)
        case .endpointSecretRotated(let value): return try projections.tenantId(ofEndpoint: value.endpointId)
        case .endpointDisabled(let value): return try projections.tenantId(ofEndpoint: value.endpointId)
        case .endpointEnabled(let value): return try projections.tenantId(ofEndpoint: value.endpointId)
        case .endpointDeleted(let value): return try projections.tenantId(ofEndpoint: value.endpointId)
        case .invocationFinished(let value): return try projections.tenantId(ofInvocation: value.invocationId)
        default: return nil
        }
    }
}
