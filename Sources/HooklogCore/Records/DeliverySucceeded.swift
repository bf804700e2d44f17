/// The receiver acknowledged the delivery's last attempt.
public struct DeliverySucceeded: Sendable, Equatable {
    /// The delivery.
    public var deliveryId: DeliveryID
    /// When, in milliseconds since 1970.
    public var succeededAtMs: UInt64

    /// A delivery-succeeded record.
    public init(deliveryId: DeliveryID, succeededAtMs: UInt64) {
        self.deliveryId = deliveryId
        self.succeededAtMs = succeededAtMs
    }
}

extension DeliverySucceeded: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.writeID(self.deliveryId)
        writer.writeVarint(self.succeededAtMs)
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        self.deliveryId = try reader.readID()
        self.succeededAtMs = try reader.readVarint()
    }
}
