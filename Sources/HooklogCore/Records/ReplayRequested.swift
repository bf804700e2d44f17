/// Someone asked to re-send a window of deliveries. The command that journals it also journals a
/// `DeliveryRetryScheduled` carrying this replay's id for every delivery it matched.
public struct ReplayRequested: Sendable, Equatable {
    /// The new replay.
    public var replayId: ReplayID
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

    /// A replay-requested record.
    public init(
        replayId: ReplayID,
        tenantId: TenantID,
        sinceMs: UInt64,
        untilMs: UInt64,
        endpointId: EndpointID? = nil,
        statusFilter: ReplayStatusFilter,
        eventTypes: [String]? = nil,
        requestedAtMs: UInt64
    ) {
        self.replayId = replayId
        self.tenantId = tenantId
        self.sinceMs = sinceMs
        self.untilMs = untilMs
        self.endpointId = endpointId
        self.statusFilter = statusFilter
        self.eventTypes = eventTypes
        self.requestedAtMs = requestedAtMs
    }
}

extension ReplayRequested: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.writeID(self.replayId)
        writer.writeID(self.tenantId)
        writer.writeVarint(self.sinceMs)
        writer.writeVarint(self.untilMs)
        writer.writeOptionalID(self.endpointId)
        writer.writeTag(self.statusFilter)
        writer.writeOptionalStrings(self.eventTypes)
        writer.writeVarint(self.requestedAtMs)
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        self.replayId = try reader.readID()
        self.tenantId = try reader.readID()
        self.sinceMs = try reader.readVarint()
        self.untilMs = try reader.readVarint()
        self.endpointId = try reader.readOptionalID()
        self.statusFilter = try reader.readTag()
        self.eventTypes = try reader.readOptionalStrings()
        self.requestedAtMs = try reader.readVarint()
    }
}
