/// Where a delivery goes, as a fixed-width key: what the scheduler's concurrency limits and the
/// `targetDue` index group deliveries by.
///
/// An endpoint is `1 ‖ endpointId`; an event's own `webhook_url` is `2 ‖ SHA-256(url)`, so that a
/// URL of any length makes a key of 33 bytes.
public struct TargetKey: Hashable, Sendable {
    /// Always 17 or 33 bytes.
    public let bytes: [UInt8]

    /// The key of `target`.
    public init(_ target: DeliveryTarget) {
        switch target {
        case .endpoint(let endpointId):
            self.bytes = [1] + endpointId.bytes
        case .inline(let url):
            self.bytes = [2] + SHA256Hasher.digest(Array(url.utf8)).bytes
        }
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
