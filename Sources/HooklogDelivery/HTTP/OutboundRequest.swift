public import HooklogCore

/// One signed request to an endpoint, ready to send.
public struct OutboundRequest: Sendable, Equatable {
    /// Where to POST.
    public let url: String
    /// Every header, in order, as the profile rendered them.
    public let headers: [WireHeader]
    /// The exact bytes that were signed.
    public let body: [UInt8]
    /// How long the whole exchange may take.
    public let timeoutMs: Int64
    /// The checked address to connect to; `nil`: the client looks the host up itself (an
    /// address literal, or private networks allowed).
    public let pin: ConnectionPin?

    /// A request to send.
    public init(url: String, headers: [WireHeader], body: [UInt8], timeoutMs: Int64, pin: ConnectionPin? = nil) {
        self.url = url
        self.headers = headers
        self.body = body
        self.timeoutMs = timeoutMs
        self.pin = pin
    }
}
