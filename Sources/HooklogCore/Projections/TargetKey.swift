/// Where a delivery goes, as a fixed-width key: what the scheduler's concurrency limits and the
/// `targetDue` index group deliveries by.
///
/// An endpoint is `1 ‖ endpointId`. An event's own `webhook_url` is `2 ‖ SHA-256(tenant ‖ origin)`,
/// its origin being its scheme, host and port: one tenant's per-call URLs to one host
/// (`…/hook?call=N`) share one limit rather than each taking a whole one, another tenant's calls
/// to the same host never wait behind them, and a key is 33 bytes however long the URL.
public struct TargetKey: Hashable, Sendable {
    /// Always 17 or 33 bytes.
    public let bytes: [UInt8]

    /// The key of endpoint `endpointId`.
    public init(endpoint endpointId: EndpointID) {
        self.bytes = [1] + endpointId.bytes
    }

    /// The key of a delivery of `tenantId` to `target`.
    public init(_ target: DeliveryTarget, of tenantId: TenantID) {
        switch target {
        case .endpoint(let endpointId):
            self = TargetKey(endpoint: endpointId)
        case .inline(let url):
            self.bytes = [2] + SHA256Hasher.digest(tenantId.bytes + Self.origin(of: url)).bytes
        }
    }

    /// `scheme://host[:port]` of `url`, ASCII letters lower-cased, without credentials, a
    /// default port or a host's trailing dot, so that spellings of one origin make one key; the
    /// whole URL when it has no `://` (ingest refuses those, so no delivery holds one). Worked
    /// out on the URL's bytes alone: a key kept in an index must come out the same from every
    /// build, which Unicode-aware case mapping (its tables change with Unicode versions) need not.
    static func origin(of url: String) -> [UInt8] {
        let lowered = url.utf8.map { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) ? $0 | 0x20 : $0 }
        guard let schemeEnd = lowered.firstRange(of: Array("://".utf8)) else { return lowered }
        let scheme = lowered[..<schemeEnd.lowerBound]
        var authority = lowered[schemeEnd.upperBound...].prefix { !"/?#".utf8.contains($0) }
        if let at = authority.lastIndex(of: UInt8(ascii: "@")) { authority = authority[authority.index(after: at)...] }
        // The port follows the last colon, unless that colon is inside an IPv6 literal's brackets.
        var host = authority
        var port: ArraySlice<UInt8> = []
        if let colon = authority.lastIndex(of: UInt8(ascii: ":")), !authority[colon...].contains(UInt8(ascii: "]")) {
            host = authority[..<colon]
            port = authority[authority.index(after: colon)...]
        }
        if host.last == UInt8(ascii: ".") { host = host.dropLast() }
        let defaultPort = Array((scheme.elementsEqual("https".utf8) ? "443" : scheme.elementsEqual("http".utf8) ? "80" : "").utf8)
        let keepsPort = !port.isEmpty && !port.elementsEqual(defaultPort)
        return Array(scheme) + Array("://".utf8) + Array(host) + (keepsPort ? [UInt8(ascii: ":")] + Array(port) : [])
    }

    /// A key read back from an index; an error unless it has one of the two shapes.
    public init(decoding bytes: some Collection<UInt8>) throws(RecordDecodingError) {
        let bytes = Array(bytes)
        guard (bytes.first == 1 && bytes.count == 17) || (bytes.first == 2 && bytes.count == 33) else {
            throw .invalidValue(offset: 0, "\(bytes.count) bytes starting \(bytes.first.map(String.init) ?? "with nothing") are no delivery target")
        }
        self.bytes = bytes
    }
}
