/// Where a delivery goes, as a fixed-width key: what the scheduler's concurrency limits and the
/// `targetDue` index group deliveries by.
///
/// An endpoint is `1 ‖ endpointId`; an event's own `webhook_url` is `2 ‖ SHA-256(origin)`, its
/// origin being its scheme, host and port: per-call URLs to one host (`…/hook?call=N`) share one
/// limit rather than each taking a whole one, and a key is 33 bytes however long the URL.
public struct TargetKey: Hashable, Sendable {
    /// Always 17 or 33 bytes.
    public let bytes: [UInt8]

    /// The key of `target`.
    public init(_ target: DeliveryTarget) {
        switch target {
        case .endpoint(let endpointId):
            self.bytes = [1] + endpointId.bytes
        case .inline(let url):
            self.bytes = [2] + SHA256Hasher.digest(Array(Self.origin(of: url).utf8)).bytes
        }
    }

    /// `scheme://host:port` of `url`, lower-cased, without credentials; the whole URL when it has
    /// no `://` (ingest refuses those, so no delivery holds one).
    static func origin(of url: String) -> String {
        let lowered = url.lowercased()
        guard let schemeEnd = lowered.firstRange(of: "://") else { return lowered }
        let rest = lowered[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = authority.lastIndex(of: "@").map { authority[authority.index(after: $0)...] } ?? authority
        return String(lowered[..<schemeEnd.upperBound] + host)
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
