/// A tenant's API key was replaced (by the admin): the old key stops working at once. Only the
/// hash of the new key is kept, as at creation.
public struct TenantAPIKeyRotated: Sendable, Equatable {
    /// The tenant.
    public var tenantId: TenantID
    /// SHA-256 of the new API key, shown once to the admin.
    public var apiKeyHash: SHA256Digest
    /// When, in milliseconds since 1970.
    public var rotatedAtMs: UInt64

    /// A tenant-API-key-rotated record.
    public init(tenantId: TenantID, apiKeyHash: SHA256Digest, rotatedAtMs: UInt64) {
        self.tenantId = tenantId
        self.apiKeyHash = apiKeyHash
        self.rotatedAtMs = rotatedAtMs
    }
}

extension TenantAPIKeyRotated: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.writeID(self.tenantId)
        writer.writeDigest(self.apiKeyHash)
        writer.writeVarint(self.rotatedAtMs)
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        self.tenantId = try reader.readID()
        self.apiKeyHash = try reader.readDigest()
        self.rotatedAtMs = try reader.readVarint()
    }
}
