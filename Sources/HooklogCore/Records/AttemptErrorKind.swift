/// Why an attempt got no HTTP answer (or why it was stopped). The raw value is the wire tag.
public enum AttemptErrorKind: UInt8, Sendable, CaseIterable {
    /// No answer within the request timeout.
    case timeout = 1
    /// The connection failed or broke (DNS, reset, closed early).
    case connection = 2
    /// The TLS handshake or certificate check failed.
    case tls = 3
    /// Hooklog refused to connect: the address is private, loopback or link-local (SSRF guard).
    case refused = 4
    /// The service stopped (or crashed) while the attempt was in flight.
    case interrupted = 5
    /// Anything else.
    case other = 6

    /// The name the API shows: `timeout`, `connection`, `tls`, `refused`, `interrupted`, `other`.
    public var name: String {
        switch self {
        case .timeout: "timeout"
        case .connection: "connection"
        case .tls: "tls"
        case .refused: "refused"
        case .interrupted: "interrupted"
        case .other: "other"
        }
    }
}
