/// A tenant's inline signing secret (what signs its deliveries to inline `webhook_url`s) was
/// replaced: one lost or leaked. The previous one keeps signing beside it until a deadline.
public struct TenantInlineSecretRotated: Sendable, Equatable {
    /// The tenant.
    public var tenantId: TenantID
    /// The new secret, as shown to the caller.
    public var newSecret: String
    /// Until when deliveries are also signed with the secret it replaces, in ms since 1970.
    public var previousSecretValidUntilMs: UInt64
    /// When, in milliseconds since 1970.
    public var rotatedAtMs: UInt64

    /// A tenant-inline-secret-rotated record.
    public init(tenantId: TenantID, newSecret: String, previousSecretValidUntilMs: UInt64, rotatedAtMs: UInt64) {
        self.tenantId = tenantId
        self.newSecret = newSecret
        self.previousSecretValidUntilMs = previousSecretValidUntilMs
        self.rotatedAtMs = rotatedAtMs
    }
}

extension TenantInlineSecretRotated: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.writeID(self.tenantId)
        writer.writeString(self.newSecret)
        writer.writeVarint(self.previousSecretValidUntilMs)
        writer.writeVarint(self.rotatedAtMs)
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        self.tenantId = try reader.readID()
        self.newSecret = try reader.readString()
        self.previousSecretValidUntilMs = try reader.readVarint()
        self.rotatedAtMs = try reader.readVarint()
    }
}
