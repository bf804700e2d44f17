/// One entry of the log: everything Hooklog is told and decides, one fact per record.
///
/// Decisions are records too: the dispatcher journals `deliveryRetryScheduled` (with its jitter
/// already applied) or `deliveryFailed`; the ingest command journals one `deliveryPlanned` per
/// target. The reducer needs no clock, configuration or randomness: it applies what records say.
public enum Record: Sendable, Equatable {
    /// A tenant was created.
    case tenantCreated(TenantCreated)
    /// A tenant's API key was replaced.
    case tenantAPIKeyRotated(TenantAPIKeyRotated)
    /// A tenant's inline signing secret was replaced.
    case tenantInlineSecretRotated(TenantInlineSecretRotated)
    /// An endpoint was registered.
    case endpointCreated(EndpointCreated)
    /// Some fields of an endpoint changed.
    case endpointUpdated(EndpointUpdated)
    /// An endpoint got a new signing secret.
    case endpointSecretRotated(EndpointSecretRotated)
    /// An endpoint stopped receiving deliveries.
    case endpointDisabled(EndpointDisabled)
    /// A disabled endpoint receives deliveries again.
    case endpointEnabled(EndpointEnabled)
    /// An endpoint was removed.
    case endpointDeleted(EndpointDeleted)
    /// An event was accepted.
    case eventReceived(EventReceived)
    /// A copy of an event is to go to one target.
    case deliveryPlanned(DeliveryPlanned)
    /// An attempt is about to leave.
    case attemptStarted(AttemptStarted)
    /// An attempt's answer or error came back.
    case attemptFinished(AttemptFinished)
    /// A delivery is due (again) at a chosen time.
    case deliveryRetryScheduled(DeliveryRetryScheduled)
    /// A delivery was acknowledged.
    case deliverySucceeded(DeliverySucceeded)
    /// A delivery was given up.
    case deliveryFailed(DeliveryFailed)
    /// A delivery was stopped.
    case deliveryCancelled(DeliveryCancelled)
    /// A window of deliveries is to be re-sent.
    case replayRequested(ReplayRequested)
    /// A replay request with an idempotency key was answered.
    case replayAnswered(ReplayAnswered)
    /// A mid-call invocation began.
    case invocationStarted(InvocationStarted)
    /// A mid-call invocation ended.
    case invocationFinished(InvocationFinished)

    /// Which kind of record this is.
    public var kind: RecordKind {
        switch self {
        case .tenantCreated: .tenantCreated
        case .tenantAPIKeyRotated: .tenantAPIKeyRotated
        case .tenantInlineSecretRotated: .tenantInlineSecretRotated
        case .endpointCreated: .endpointCreated
        case .endpointUpdated: .endpointUpdated
        case .endpointSecretRotated: .endpointSecretRotated
        case .endpointDisabled: .endpointDisabled
        case .endpointEnabled: .endpointEnabled
        case .endpointDeleted: .endpointDeleted
        case .eventReceived: .eventReceived
        case .deliveryPlanned: .deliveryPlanned
        case .attemptStarted: .attemptStarted
        case .attemptFinished: .attemptFinished
        case .deliveryRetryScheduled: .deliveryRetryScheduled
        case .deliverySucceeded: .deliverySucceeded
        case .deliveryFailed: .deliveryFailed
        case .deliveryCancelled: .deliveryCancelled
        case .replayRequested: .replayRequested
        case .replayAnswered: .replayAnswered
        case .invocationStarted: .invocationStarted
        case .invocationFinished: .invocationFinished
        }
    }
}
