/// An endpoint was removed. Its deliveries stay (as history); its pending ones are cancelled by
/// separate `DeliveryCancelled` records.
public struct EndpointDeleted: Sendable, Equatable {
    /// The endpoint.
    public var endpointId: EndpointID
    /// When, in milliseconds since 1970.
    public var deletedAtMs: UInt64

    /// An endpoint-deleted record.
    public init(endpointId: EndpointID, deletedAtMs: UInt64) {
        self.endpointId = endpointId
        self.deletedAtMs = deletedAtMs
    }
}

extension EndpointDeleted: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.writeID(self.endpointId)
        writer.writeVarint(self.deletedAtMs)
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        self.endpointId = try reader.readID()
        self.deletedAtMs = try reader.readVarint()
    }
}
