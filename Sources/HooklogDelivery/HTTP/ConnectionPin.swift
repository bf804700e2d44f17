/// Where a request to a named host connects: one of the addresses its name was checked to resolve
/// to. Sent there, rather than to whatever the name resolves to when the client connects, a name
/// whose DNS answer changes in between (DNS rebinding) cannot reach an address no check saw.
public struct ConnectionPin: Sendable, Hashable {
    /// The URL's host name: still the one in `Host`, in TLS's SNI, and checked in the certificate.
    public let host: String
    /// The address to connect to instead of looking the name up again.
    public let address: String

    /// A pin of `host` to `address`.
    public init(host: String, address: String) {
        self.host = host
        self.address = address
    }
}
