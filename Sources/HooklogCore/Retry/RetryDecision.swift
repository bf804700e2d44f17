/// What happens to a delivery after an attempt.
public enum RetryDecision: Hashable, Sendable {
    /// A 2xx: the delivery is acknowledged.
    case succeeded
    /// Try again at `dueAtMs` (ms since the epoch).
    case retry(dueAtMs: Int64)
    /// The delivery has failed for good.
    case failed(reason: DeliveryFailureReason)
    /// The endpoint is disabled (and this delivery fails with it).
    case disableEndpoint(reason: EndpointDisabledReason)
}
