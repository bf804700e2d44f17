/// One copy of an event is to be delivered to one target; journaled by the ingest command's
/// fan-out (and nothing else decides who receives what).
public struct DeliveryPlanned: Sendable, Equatable {
    /// The new delivery.
    public var deliveryId: DeliveryID
    /// The event it carries.
    public var eventId: EventID
    /// The event's tenant.
    public var tenantId: TenantID
    /// Where it goes.
    public var target: DeliveryTarget
    /// When it was planned (and is first due), in milliseconds since 1970.
    public var plannedAtMs: UInt64

    /// A delivery-planned record.
    public init(deliveryId: DeliveryID, eventId: EventID, tenantId: TenantID, target: DeliveryTarget, plannedAtMs: UInt64) {
        self.deliveryId = deliveryId
        self.eventId = eventId
        self.tenantId = tenantId
        self.target = target
        self.plannedAtMs = plannedAtMs
    }
}

extension DeliveryPlanned: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.writeID(self.deliveryId)
        writer.writeID(self.eventId)
        writer.writeID(self.tenantId)
        writer.write(self.target)
        writer.writeVarint(self.plannedAtMs)
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        self.deliveryId = try reader.readID()
        self.eventId = try reader.readID()
        self.tenantId = try reader.readID()
        self.target = try reader.read()
        self.plannedAtMs = try reader.readVarint()
    }
}
