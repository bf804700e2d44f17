/// Why an endpoint stopped receiving deliveries. The raw value is the wire tag.
public enum EndpointDisabledReason: UInt8, Sendable, CaseIterable {
    /// The endpoint answered 410 Gone.
    case gone = 1
    /// It failed without a single success for longer than the configured period.
    case failingTooLong = 2
    /// Its owner disabled it.
    case byUser = 3

    /// The name the API shows: `gone`, `failing_too_long`, `by_user`.
    public var name: String {
        switch self {
        case .gone: "gone"
        case .failingTooLong: "failing_too_long"
        case .byUser: "by_user"
        }
    }
}
