/// A delivery is (again) due at a time the dispatcher chose, jitter included. Besides a retry
/// after a failed attempt, this reschedules a waiting delivery, or reopens a finished one for a
/// manual retry (`replayId == nil`) or a replay (`replayId` set).
public struct DeliveryRetryScheduled: Sendable, Equatable {
    /// The delivery.
    public var deliveryId: DeliveryID
    /// When the next attempt is due, in milliseconds since 1970.
    public var dueAtMs: UInt64
    /// The replay that reopens the delivery, if that is what this is.
    public var replayId: ReplayID?
    /// The `Idempotency-Key` of the manual retry (`POST /v1/deliveries/{id}/retry`) this is, which
    /// a repeat of the request is answered by; `nil` otherwise, and in records written before
    /// codec version 4.
    public var idempotencyKey: String?

    /// A retry-scheduled record.
    public init(deliveryId: DeliveryID, dueAtMs: UInt64, replayId: ReplayID? = nil, idempotencyKey: String? = nil) {
        self.deliveryId = deliveryId
        self.dueAtMs = dueAtMs
        self.replayId = replayId
        self.idempotencyKey = idempotencyKey
    }
}

extension DeliveryRetryScheduled: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.writeID(self.deliveryId)
        writer.writeVarint(self.dueAtMs)
        writer.writeOptionalID(self.replayId)
        writer.writeOptionalString(self.idempotencyKey)
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        self.deliveryId = try reader.readID()
        self.dueAtMs = try reader.readVarint()
        self.replayId = try reader.readOptionalID()
        self.idempotencyKey = reader.version >= 4 ? try reader.readOptionalString() : nil
    }
}
