/// An endpoint got a new signing secret; the previous one keeps signing until a deadline.
public struct EndpointSecretRotated: Sendable, Equatable {
    /// The endpoint's tenant, so that the record names its owner even after the endpoint is
    /// gone; `nil` only in records written before codec version 2.
    public var tenantId: TenantID?
    /// The endpoint.
    public var endpointId: EndpointID
    /// The new secret, as shown to the user.
    public var newSecret: String
    /// Until when deliveries are also signed with the secret it replaces, in ms since 1970.
    public var previousSecretValidUntilMs: UInt64
    /// When it was rotated, in milliseconds since 1970.
    public var rotatedAtMs: UInt64

    /// A secret-rotated record.
    public init(tenantId: TenantID?, endpointId: EndpointID, newSecret: String, previousSecretValidUntilMs: UInt64, rotatedAtMs: UInt64) {
        self.tenantId = tenantId
        self.endpointId = endpointId
        self.newSecret = newSecret
        self.previousSecretValidUntilMs = previousSecretValidUntilMs
        self.rotatedAtMs = rotatedAtMs
    }
}

extension EndpointSecretRotated: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.writeOptionalID(self.tenantId)
        writer.writeID(self.endpointId)
        writer.writeString(self.newSecret)
        writer.writeVarint(self.previousSecretValidUntilMs)
        writer.writeVarint(self.rotatedAtMs)
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        self.tenantId = reader.version >= 2 ? try reader.readOptionalID() : nil
        self.endpointId = try reader.readID()
        self.newSecret = try reader.readString()
        self.previousSecretValidUntilMs = try reader.readVarint()
        self.rotatedAtMs = try reader.readVarint()
    }
}
