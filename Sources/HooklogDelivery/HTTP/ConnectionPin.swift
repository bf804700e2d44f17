/// Where a request to a named host connects: the addresses its name was checked to resolve to,
/// in the order to try them. Sent there, rather than to whatever the name resolves to when the
/// client connects, a name whose DNS answer changes in between (DNS rebinding) cannot reach an
/// address no check saw.
public struct ConnectionPin: Sendable, Hashable {
    /// The URL's host name (`Destination.connectionHost(of:)`): still the one in `Host`, in TLS's
    /// SNI, and checked in the certificate.
    public let host: String
    /// The addresses to connect to instead of looking the name up again: the next is tried only
    /// when the one before could not be connected to (nothing was sent).
    public let addresses: [String]

    /// A pin of `host` to `addresses`, at least one.
    public init(host: String, addresses: [String]) {
        precondition(!addresses.isEmpty, "a pin has an address")
        self.host = host
        self.addresses = addresses
    }
}
