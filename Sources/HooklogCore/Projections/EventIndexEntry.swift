/// An event as the `events` table indexes it; the raw body stays in the log at `sequence`.
public struct EventIndexEntry: Sendable, Equatable {
    /// The value format this build writes (and the only one it reads).
    public static let valueVersion: UInt8 = 1

    /// Its tenant.
    public var tenantId: TenantID
    /// The log sequence of its `EventReceived` record.
    public var sequence: UInt64
    /// Its type.
    public var type: String
    /// When Hooklog received it, in milliseconds since 1970.
    public var receivedAtMs: UInt64
    /// When it happened, as the platform says.
    public var occurredAtMs: UInt64?
    /// The call it belongs to.
    public var callId: String?

    /// An event's index entry.
    public init(tenantId: TenantID, sequence: UInt64, type: String, receivedAtMs: UInt64, occurredAtMs: UInt64? = nil, callId: String? = nil) {
        self.tenantId = tenantId
        self.sequence = sequence
        self.type = type
        self.receivedAtMs = receivedAtMs
        self.occurredAtMs = occurredAtMs
        self.callId = callId
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

extension EventIndexEntry: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.writeID(self.tenantId)
        writer.writeVarint(self.sequence)
        writer.writeString(self.type)
        writer.writeVarint(self.receivedAtMs)
        writer.writeOptionalVarint(self.occurredAtMs)
        writer.writeOptionalString(self.callId)
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        self.tenantId = try reader.readID()
        self.sequence = try reader.readVarint()
        self.type = try reader.readString()
        self.receivedAtMs = try reader.readVarint()
        self.occurredAtMs = try reader.readOptionalVarint()
        self.callId = try reader.readOptionalString()
    }
}

extension EventIndexEntry: ProjectedEntity {
    public static var table: ProjectionTable { .events }
    public static func key(_ id: EventID) -> [UInt8] { ProjectionKeys.event(id) }

    /// Its place in its tenant's timeline.
    public func lifetimeIndexEntries(of id: EventID) -> [IndexEntry] {
        [IndexEntry(.eventTimes, ProjectionKeys.eventTime(tenantId: self.tenantId, receivedAtMs: self.receivedAtMs, sequence: self.sequence, eventId: id))]
    }
}
