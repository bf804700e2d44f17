/// Why the dispatcher gave up on a delivery. The raw value is the wire tag.
public enum DeliveryFailureReason: UInt8, Sendable, CaseIterable {
    /// Every attempt of the retry schedule failed.
    case retriesExhausted = 1
    /// The answer was one that must not be retried (e.g. a 4xx where the profile says so).
    case notRetryable = 2
    /// The endpoint answered 410 Gone.
    case endpointGone = 3

    /// The name the API shows: `retries_exhausted`, `not_retryable`, `endpoint_gone`.
    public var name: String {
        switch self {
        case .retriesExhausted: "retries_exhausted"
        case .notRetryable: "not_retryable"
        case .endpointGone: "endpoint_gone"
        }
    }
}
