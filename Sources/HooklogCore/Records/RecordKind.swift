/// The kinds of record; the raw value is the tag byte of the binary encoding and never changes.
public enum RecordKind: UInt8, Sendable, CaseIterable {
    /// `TenantCreated`.
    case tenantCreated = 1
    /// `EndpointCreated`.
    case endpointCreated = 2
    /// `EndpointUpdated`.
    case endpointUpdated = 3
    /// `EndpointSecretRotated`.
    case endpointSecretRotated = 4
    /// `EndpointDisabled`.
    case endpointDisabled = 5
    /// `EndpointEnabled`.
    case endpointEnabled = 6
    /// `EndpointDeleted`.
    case endpointDeleted = 7
    /// `TenantAPIKeyRotated`.
    case tenantAPIKeyRotated = 8
    /// `TenantInlineSecretRotated`.
    case tenantInlineSecretRotated = 9
    /// `EventReceived`.
    case eventReceived = 16
    /// `DeliveryPlanned`.
    case deliveryPlanned = 32
    /// `AttemptStarted`.
    case attemptStarted = 33
    /// `AttemptFinished`.
    case attemptFinished = 34
    /// `DeliveryRetryScheduled`.
    case deliveryRetryScheduled = 35
    /// `DeliverySucceeded`.
    case deliverySucceeded = 36
    /// `DeliveryFailed`.
    case deliveryFailed = 37
    /// `DeliveryCancelled`.
    case deliveryCancelled = 38
    /// `ReplayRequested`.
    case replayRequested = 48
    /// `ReplayAnswered`.
    case replayAnswered = 49
    /// `InvocationStarted`.
    case invocationStarted = 64
    /// `InvocationFinished`.
    case invocationFinished = 65

    /// The record's name as the export shows it, e.g. `event_received`.
    public var name: String {
        switch self {
        case .tenantCreated: "tenant_created"
        case .endpointCreated: "endpoint_created"
        case .endpointUpdated: "endpoint_updated"
        case .endpointSecretRotated: "endpoint_secret_rotated"
        case .endpointDisabled: "endpoint_disabled"
        case .endpointEnabled: "endpoint_enabled"
        case .endpointDeleted: "endpoint_deleted"
        case .tenantAPIKeyRotated: "tenant_api_key_rotated"
        case .tenantInlineSecretRotated: "tenant_inline_secret_rotated"
        case .eventReceived: "event_received"
        case .deliveryPlanned: "delivery_planned"
        case .attemptStarted: "attempt_started"
        case .attemptFinished: "attempt_finished"
        case .deliveryRetryScheduled: "delivery_retry_scheduled"
        case .deliverySucceeded: "delivery_succeeded"
        case .deliveryFailed: "delivery_failed"
        case .deliveryCancelled: "delivery_cancelled"
        case .replayRequested: "replay_requested"
        case .replayAnswered: "replay_answered"
        case .invocationStarted: "invocation_started"
        case .invocationFinished: "invocation_finished"
        }
    }
}
