/// A disabled endpoint receives deliveries again; its failure streak starts over.
public struct EndpointEnabled: Sendable, Equatable {
    /// The endpoint's tenant, so that the record names its owner even after the endpoint is
    /// gone; `nil` only in records written before codec version 2.
    public var tenantId: TenantID?
    /// The endpoint.
    public var endpointId: EndpointID
    /// When, in milliseconds since 1970.
    public var enabledAtMs: UInt64

    /// An endpoint-enabled record.
    public init(tenantId: TenantID?, endpointId: EndpointID, enabledAtMs: UInt64) {
        self.tenantId = tenantId
        self.endpointId = endpointId
        self.enabledAtMs = enabledAtMs
    }
}

extension EndpointEnabled: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.writeOptionalID(self.tenantId)
        writer.writeID(self.endpointId)
        writer.writeVarint(self.enabledAtMs)
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        self.tenantId = reader.version >= 2 ? try reader.readOptionalID() : nil
        self.endpointId = try reader.readID()
        self.enabledAtMs = try reader.readVarint()
    }
}
