/// An attempt of a delivery is about to leave; journaled before the request is sent.
public struct AttemptStarted: Sendable, Equatable {
    /// The delivery.
    public var deliveryId: DeliveryID
    /// 1 for the first attempt, then one more each time.
    public var attemptNumber: UInt32
    /// When it started, in milliseconds since 1970.
    public var startedAtMs: UInt64
    /// The replay that caused it, if any.
    public var replayId: ReplayID?

    /// An attempt-started record.
    public init(deliveryId: DeliveryID, attemptNumber: UInt32, startedAtMs: UInt64, replayId: ReplayID? = nil) {
        self.deliveryId = deliveryId
        self.attemptNumber = attemptNumber
        self.startedAtMs = startedAtMs
        self.replayId = replayId
    }
}

extension AttemptStarted: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.writeID(self.deliveryId)
        writer.writeVarint(self.attemptNumber)
        writer.writeVarint(self.startedAtMs)
        writer.writeOptionalID(self.replayId)
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        self.deliveryId = try reader.readID()
        self.attemptNumber = try reader.readVarint32()
        self.startedAtMs = try reader.readVarint()
        self.replayId = try reader.readOptionalID()
    }
}
