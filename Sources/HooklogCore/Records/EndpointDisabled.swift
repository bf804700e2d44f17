/// An endpoint stopped receiving deliveries. Its pending deliveries are cancelled by separate
/// `DeliveryCancelled` records, journaled by the command that disables it.
public struct EndpointDisabled: Sendable, Equatable {
    /// The endpoint.
    public var endpointId: EndpointID
    /// Why.
    public var reason: EndpointDisabledReason
    /// When, in milliseconds since 1970.
    public var disabledAtMs: UInt64

    /// An endpoint-disabled record.
    public init(endpointId: EndpointID, reason: EndpointDisabledReason, disabledAtMs: UInt64) {
        self.endpointId = endpointId
        self.reason = reason
        self.disabledAtMs = disabledAtMs
    }
}

extension EndpointDisabled: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.writeID(self.endpointId)
        writer.writeTag(self.reason)
        writer.writeVarint(self.disabledAtMs)
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        self.endpointId = try reader.readID()
        self.reason = try reader.readTag()
        self.disabledAtMs = try reader.readVarint()
    }
}
