/// An endpoint stopped receiving deliveries. Its pending deliveries are cancelled by separate
/// `DeliveryCancelled` records, journaled by the command that disables it.
public struct EndpointDisabled: Sendable, Equatable {
    /// The endpoint's tenant, so that the record names its owner even after the endpoint is
    /// gone; `nil` only in records written before codec version 2.
    public var tenantId: TenantID?
    /// The endpoint.
    public var endpointId: EndpointID
    /// Why.
    public var reason: EndpointDisabledReason
    /// When, in milliseconds since 1970.
    public var disabledAtMs: UInt64

    /// An endpoint-disabled record.
    public init(tenantId: TenantID?, endpointId: EndpointID, reason: EndpointDisabledReason, disabledAtMs: UInt64) {
        self.tenantId = tenantId
        self.endpointId = endpointId
        self.reason = reason
        self.disabledAtMs = disabledAtMs
    }
}

extension EndpointDisabled: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.writeOptionalID(self.tenantId)
        writer.writeID(self.endpointId)
        writer.writeTag(self.reason)
        writer.writeVarint(self.disabledAtMs)
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        self.tenantId = reader.version >= 2 ? try reader.readOptionalID() : nil
        self.endpointId = try reader.readID()
        self.reason = try reader.readTag()
        self.disabledAtMs = try reader.readVarint()
    }
}
