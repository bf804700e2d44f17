/// The dispatcher gave up on a delivery after its last attempt.
public struct DeliveryFailed: Sendable, Equatable {
    /// The delivery.
    public var deliveryId: DeliveryID
    /// When, in milliseconds since 1970.
    public var failedAtMs: UInt64
    /// Why.
    public var reason: DeliveryFailureReason

    /// A delivery-failed record.
    public init(deliveryId: DeliveryID, failedAtMs: UInt64, reason: DeliveryFailureReason) {
        self.deliveryId = deliveryId
        self.failedAtMs = failedAtMs
        self.reason = reason
    }
}

extension DeliveryFailed: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.writeID(self.deliveryId)
        writer.writeVarint(self.failedAtMs)
        writer.writeTag(self.reason)
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        self.deliveryId = try reader.readID()
        self.failedAtMs = try reader.readVarint()
        self.reason = try reader.readTag()
    }
}
