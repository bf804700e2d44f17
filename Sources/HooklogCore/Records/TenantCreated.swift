/// A tenant was created; only the hash of its API key is kept.
public struct TenantCreated: Sendable, Equatable {
    /// The new tenant.
    public var tenantId: TenantID
    /// Its display name.
    public var name: String
    /// SHA-256 of the API key shown once to its creator.
    public var apiKeyHash: SHA256Digest
    /// The secret that signs its deliveries to inline `webhook_url`s (no endpoint, so no endpoint secret).
    public var defaultSigningSecret: String
    /// The wire profile of those deliveries (a platform's per-call webhooks look like its
    /// endpoints' ones); `standard` in records written before codec version 2.
    public var inlineProfile: String
    /// When it was created, in milliseconds since 1970.
    public var createdAtMs: UInt64
    /// The `Idempotency-Key` the creating request came with, which a repeat of the request is
    /// told about; `nil` in records written before codec version 4.
    public var idempotentRequest: IdempotentRequest?

    /// A tenant-created record.
    public init(
        tenantId: TenantID,
        name: String,
        apiKeyHash: SHA256Digest,
        defaultSigningSecret: String,
        inlineProfile: String = WireProfile.defaultName,
        createdAtMs: UInt64,
        idempotentRequest: IdempotentRequest? = nil
    ) {
        self.tenantId = tenantId
        self.name = name
        self.apiKeyHash = apiKeyHash
        self.defaultSigningSecret = defaultSigningSecret
        self.inlineProfile = inlineProfile
        self.createdAtMs = createdAtMs
        self.idempotentRequest = idempotentRequest
    }
}

extension TenantCreated: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.writeID(self.tenantId)
        writer.writeString(self.name)
        writer.writeDigest(self.apiKeyHash)
        writer.writeString(self.defaultSigningSecret)
        writer.writeString(self.inlineProfile)
        writer.writeVarint(self.createdAtMs)
        writer.writeOptional(self.idempotentRequest)
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        self.tenantId = try reader.readID()
        self.name = try reader.readString()
        self.apiKeyHash = try reader.readDigest()
        self.defaultSigningSecret = try reader.readString()
        self.inlineProfile = reader.version >= 2 ? try reader.readString() : WireProfile.defaultName
        self.createdAtMs = try reader.readVarint()
        self.idempotentRequest = reader.version >= 4 ? try reader.readOptional() : nil
    }
}
