/// Why Hooklog disables an endpoint on its own.
public enum EndpointDisableReason: String, Codable, Sendable, CaseIterable {
    /// The endpoint answered 410 Gone.
    case gone
    /// The endpoint has failed without a single success for longer than the health policy allows.
    case failingTooLong
}
