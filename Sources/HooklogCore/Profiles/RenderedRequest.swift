/// The headers and body of one HTTP POST, ready to send.
public struct RenderedRequest: Hashable, Sendable {
    /// The headers in sending order: `Content-Type`, the profile's headers, then the authentication headers.
    public var headers: [WireHeader]
    /// The exact body bytes; the signatures cover these bytes.
    public var body: [UInt8]

    /// A request of `headers` and `body`.
    public init(headers: [WireHeader], body: [UInt8]) {
        self.headers = headers
        self.body = body
    }

    /// The value of the first header named `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return self.headers.first { $0.name.lowercased() == wanted }?.value
    }
}
