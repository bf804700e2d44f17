/// Why an attempt got no HTTP answer.
public enum AttemptErrorKind: String, Codable, Sendable, CaseIterable {
    /// No complete answer within the request timeout.
    case timeout
    /// The connection failed or broke (DNS, reset, closed early).
    case connection
    /// The TLS handshake failed.
    case tls
    /// The receiver refused the connection.
    case refused
    /// Anything else.
    case other
}
