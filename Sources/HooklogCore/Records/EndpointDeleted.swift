/// An endpoint was removed. Its deliveries stay (as history); its pending ones are cancelled by
/// separate `DeliveryCancelled` records.
public struct EndpointDeleted: Sendable, Equatable {
    /// The endpoint's tenant, so that the record names its owner even after the endpoint is
    /// gone; `nil` only in records written before codec version 2.
    public var tenantId: TenantID?
    /// The endpoint.
    public var endpointId: EndpointID
    /// When, in milliseconds since 1970.
    public var deletedAtMs: UInt64

    /// An endpoint-deleted record.
    public init(tenantId: TenantID?, endpointId: EndpointID, deletedAtMs: UInt64) {
        self.tenantId = tenantId
        self.endpointId = endpointId
        self.deletedAtMs = deletedAtMs
    }
}

extension EndpointDeleted: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.writeOptionalID(self.tenantId)
        writer.writeID(self.endpointId)
        writer.writeVarint(self.deletedAtMs)
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        self.tenantId = reader.version >= 2 ? try reader.readOptionalID() : nil
        self.endpointId = try reader.readID()
        self.deletedAtMs = try reader.readVarint()
    }
}
