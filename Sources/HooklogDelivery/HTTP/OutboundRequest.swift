/// One signed request to an endpoint, ready to send.
public struct OutboundRequest: Sendable, Equatable {
    /// One header line.
    public struct Header: Sendable, Equatable {
        /// The header's name as the profile spells it.
        public let name: String
        /// Its value.
        public let value: String

        /// A header line.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Where to POST.
    public let url: String
    /// Every header, in order.
    public let headers: [Header]
    /// The exact bytes that were signed.
    public let body: [UInt8]
    /// How long the whole exchange may take.
    public let timeoutMs: Int64

    /// A request to send.
    public init(url: String, headers: [Header], body: [UInt8], timeoutMs: Int64) {
        self.url = url
        self.headers = headers
        self.body = body
        self.timeoutMs = timeoutMs
    }
}
