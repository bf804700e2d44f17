/// A delivery as the `deliveries` table keeps it.
public struct DeliveryState: Sendable, Equatable {
    /// The value format this build writes (and the only one it reads).
    public static let valueVersion: UInt8 = 1

    /// The event's tenant.
    public var tenantId: TenantID
    /// The event it carries.
    public var eventId: EventID
    /// Where it goes.
    public var target: DeliveryTarget
    /// Where it is in its life.
    public var status: DeliveryStatus
    /// When it was planned, in milliseconds since 1970.
    public var plannedAtMs: UInt64
    /// The log sequence of its `DeliveryPlanned` record.
    public var plannedSequence: UInt64
    /// Its attempts, oldest first.
    public var attempts: [AttemptSummary]
    /// When it is due; set exactly while `pending` or `retrying` (and then it is in `due`).
    public var nextAttemptAtMs: UInt64?
    /// The replay it is being re-sent for, until it finishes again.
    public var replayId: ReplayID?
    /// When it finished (succeeded, failed or was cancelled), in milliseconds since 1970.
    public var finishedAtMs: UInt64?
    /// Why it failed, if it did.
    public var failureReason: DeliveryFailureReason?
    /// Why it was cancelled, if it was.
    public var cancelReason: DeliveryCancelReason?

    /// A delivery's state.
    public init(
        tenantId: TenantID,
        eventId: EventID,
        target: DeliveryTarget,
        status: DeliveryStatus,
        plannedAtMs: UInt64,
        plannedSequence: UInt64,
        attempts: [AttemptSummary] = [],
        nextAttemptAtMs: UInt64? = nil,
        replayId: ReplayID? = nil,
        finishedAtMs: UInt64? = nil,
        failureReason: DeliveryFailureReason? = nil,
        cancelReason: DeliveryCancelReason? = nil
    ) {
        self.tenantId = tenantId
        self.eventId = eventId
        self.target = target
        self.status = status
        self.plannedAtMs = plannedAtMs
        self.plannedSequence = plannedSequence
        self.attempts = attempts
        self.nextAttemptAtMs = nextAttemptAtMs
        self.replayId = replayId
        self.finishedAtMs = finishedAtMs
        self.failureReason = failureReason
        self.cancelReason = cancelReason
    }

    /// The stored bytes: version, then fields.
    public func encode() -> [UInt8] {
        BinaryFraming.encode(self, version: Self.valueVersion)
    }

    /// Reads what `encode()` wrote.
    public init(decoding bytes: some Collection<UInt8>) throws(RecordDecodingError) {
        self = try BinaryFraming.decode(Self.self, from: bytes, versions: Self.valueVersion...Self.valueVersion)
    }
}

extension DeliveryState: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.writeID(self.tenantId)
        writer.writeID(self.eventId)
        writer.write(self.target)
        writer.writeTag(self.status)
        writer.writeVarint(self.plannedAtMs)
        writer.writeVarint(self.plannedSequence)
        writer.writeArray(self.attempts)
        writer.writeOptionalVarint(self.nextAttemptAtMs)
        writer.writeOptionalID(self.replayId)
        writer.writeOptionalVarint(self.finishedAtMs)
        writer.writeOptionalTag(self.failureReason)
        writer.writeOptionalTag(self.cancelReason)
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        self.tenantId = try reader.readID()
        self.eventId = try reader.readID()
        self.target = try reader.read()
        self.status = try reader.readTag()
        self.plannedAtMs = try reader.readVarint()
        self.plannedSequence = try reader.readVarint()
        self.attempts = try reader.readArray()
        self.nextAttemptAtMs = try reader.readOptionalVarint()
        self.replayId = try reader.readOptionalID()
        self.finishedAtMs = try reader.readOptionalVarint()
        self.failureReason = try reader.readOptionalTag()
        self.cancelReason = try reader.readOptionalTag()
    }
}
