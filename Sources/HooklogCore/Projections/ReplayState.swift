/// A replay and its progress, as the `replays` table keeps it.
///
/// `scheduledCount` grows with each `DeliveryRetryScheduled` carrying the replay's id; each such
/// delivery counts once more when it finishes again (succeeded, failed or cancelled).
public struct ReplayState: Sendable, Equatable {
    /// The value format this build writes (and the only one it reads).
    public static let valueVersion: UInt8 = 1

    /// Its tenant.
    public var tenantId: TenantID
    /// The window's start (inclusive), in milliseconds since 1970.
    public var sinceMs: UInt64
    /// The window's end (exclusive), in milliseconds since 1970.
    public var untilMs: UInt64
    /// Only deliveries to this endpoint, if set.
    public var endpointId: EndpointID?
    /// Failed deliveries only, or all.
    public var statusFilter: ReplayStatusFilter
    /// Only events of these types, if set.
    public var eventTypes: [String]?
    /// When it was asked for, in milliseconds since 1970.
    public var requestedAtMs: UInt64
    /// How many deliveries it reopened.
    public var scheduledCount: UInt64
    /// How many of them succeeded since.
    public var succeededCount: UInt64
    /// How many of them failed since.
    public var failedCount: UInt64
    /// How many of them were cancelled since.
    public var cancelledCount: UInt64

    /// A replay's state.
    public init(
        tenantId: TenantID,
        sinceMs: UInt64,
        untilMs: UInt64,
        endpointId: EndpointID?,
        statusFilter: ReplayStatusFilter,
        eventTypes: [String]?,
        requestedAtMs: UInt64,
        scheduledCount: UInt64 = 0,
        succeededCount: UInt64 = 0,
        failedCount: UInt64 = 0,
        cancelledCount: UInt64 = 0
    ) {
        self.tenantId = tenantId
        self.sinceMs = sinceMs
        self.untilMs = untilMs
        self.endpointId = endpointId
        self.statusFilter = statusFilter
        self.eventTypes = eventTypes
        self.requestedAtMs = requestedAtMs
        self.scheduledCount = scheduledCount
        self.succeededCount = succeededCount
        self.failedCount = failedCount
        self.cancelledCount = cancelledCount
    }

    /// How many reopened deliveries have not finished yet.
    public var remainingCount: UInt64 {
        self.scheduledCount - self.succeededCount - self.failedCount - self.cancelledCount
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

extension ReplayState: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.writeID(self.tenantId)
        writer.writeVarint(self.sinceMs)
        writer.writeVarint(self.untilMs)
        writer.writeOptionalID(self.endpointId)
        writer.writeTag(self.statusFilter)
        writer.writeOptionalStrings(self.eventTypes)
        writer.writeVarint(self.requestedAtMs)
        writer.writeVarint(self.scheduledCount)
        writer.writeVarint(self.succeededCount)
        writer.writeVarint(self.failedCount)
        writer.writeVarint(self.cancelledCount)
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        self.tenantId = try reader.readID()
        self.sinceMs = try reader.readVarint()
        self.untilMs = try reader.readVarint()
        self.endpointId = try reader.readOptionalID()
        self.statusFilter = try reader.readTag()
        self.eventTypes = try reader.readOptionalStrings()
        self.requestedAtMs = try reader.readVarint()
        self.scheduledCount = try reader.readVarint()
        self.succeededCount = try reader.readVarint()
        self.failedCount = try reader.readVarint()
        self.cancelledCount = try reader.readVarint()
        // Checked without overflow: the bytes may claim anything.
        let (partial, overflowA) = self.succeededCount.addingReportingOverflow(self.failedCount)
        let (finished, overflowB) = partial.addingReportingOverflow(self.cancelledCount)
        guard !overflowA, !overflowB, finished <= self.scheduledCount else {
            throw .invalidValue(offset: reader.offset, "a replay finished more deliveries than it scheduled")
        }
    }
}

extension ReplayState: ProjectedEntity {
    public static var table: ProjectionTable { .replays }
    public static func key(_ id: ReplayID) -> [UInt8] { ProjectionKeys.replay(id) }
}
