/// A disabled endpoint receives deliveries again; its failure streak starts over.
public struct EndpointEnabled: Sendable, Equatable {
    /// The endpoint.
    public var endpointId: EndpointID
    /// When, in milliseconds since 1970.
    public var enabledAtMs: UInt64

    /// An endpoint-enabled record.
    public init(endpointId: EndpointID, enabledAtMs: UInt64) {
        self.endpointId = endpointId
        self.enabledAtMs = enabledAtMs
    }
}

extension EndpointEnabled: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.writeID(self.endpointId)
        writer.writeVarint(self.enabledAtMs)
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        self.endpointId = try reader.readID()
        self.enabledAtMs = try reader.readVarint()
    }
}
