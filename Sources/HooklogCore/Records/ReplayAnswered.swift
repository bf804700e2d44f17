/// A replay request that carried an idempotency key was answered: the key is taken, and this
/// record is the answer a repeat of the request gets. Journaled in the command that journals the
/// request's replays, after them.
public struct ReplayAnswered: Sendable, Equatable {
    /// The tenant whose key it is; `nil`: the admin's.
    public var tenantId: TenantID?
    /// The `Idempotency-Key` the request carried.
    public var idempotencyKey: String
    /// What the request asked for (`ReplayCriteria.requestDigest`): a repeat that asks for
    /// something else is refused rather than answered.
    public var requestDigest: SHA256Digest
    /// The replays the request made, in order (how many each re-sends is in its state).
    public var replayIds: [ReplayID]
    /// The window's deliveries left alone because they were still waiting or in flight.
    public var unfinishedCount: UInt64
    /// The window's deliveries left alone because their endpoint was disabled or deleted.
    public var endpointDisabledCount: UInt64
    /// When it was answered, in milliseconds since 1970.
    public var answeredAtMs: UInt64

    /// A replay-answered record.
    public init(
        tenantId: TenantID?,
        idempotencyKey: String,
        requestDigest: SHA256Digest,
        replayIds: [ReplayID],
        unfinishedCount: UInt64,
        endpointDisabledCount: UInt64,
        answeredAtMs: UInt64
    ) {
        self.tenantId = tenantId
        self.idempotencyKey = idempotencyKey
        self.requestDigest = requestDigest
        self.replayIds = replayIds
        self.unfinishedCount = unfinishedCount
        self.endpointDisabledCount = endpointDisabledCount
        self.answeredAtMs = answeredAtMs
    }
}

extension ReplayAnswered: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.writeOptionalID(self.tenantId)
        writer.writeString(self.idempotencyKey)
        writer.writeDigest(self.requestDigest)
        writer.writeArray(self.replayIds) { $0.writeID($1) }
        writer.writeVarint(self.unfinishedCount)
        writer.writeVarint(self.endpointDisabledCount)
        writer.writeVarint(self.answeredAtMs)
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        self.tenantId = try reader.readOptionalID()
        self.idempotencyKey = try reader.readString()
        self.requestDigest = try reader.readDigest()
        self.replayIds = try reader.readArray { reader throws(RecordDecodingError) in try reader.readID() }
        self.unfinishedCount = try reader.readVarint()
        self.endpointDisabledCount = try reader.readVarint()
        self.answeredAtMs = try reader.readVarint()
    }
}
