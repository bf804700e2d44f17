/// A delivery was stopped before it finished.
public struct DeliveryCancelled: Sendable, Equatable {
    /// The delivery.
    public var deliveryId: DeliveryID
    /// When, in milliseconds since 1970.
    public var cancelledAtMs: UInt64
    /// Why.
    public var reason: DeliveryCancelReason

    /// A delivery-cancelled record.
    public init(deliveryId: DeliveryID, cancelledAtMs: UInt64, reason: DeliveryCancelReason) {
        self.deliveryId = deliveryId
        self.cancelledAtMs = cancelledAtMs
        self.reason = reason
    }
}

extension DeliveryCancelled: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.writeID(self.deliveryId)
        writer.writeVarint(self.cancelledAtMs)
        writer.writeTag(self.reason)
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        self.deliveryId = try reader.readID()
        self.cancelledAtMs = try reader.readVarint()
        self.reason = try reader.readTag()
    }
}
