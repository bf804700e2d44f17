/// A tenant as the `tenants` table keeps it.
public struct TenantState: Sendable, Equatable {
    /// The value format this build writes (and the only one it reads).
    public static let valueVersion: UInt8 = 4

    /// Its display name.
    public var name: String
    /// SHA-256 of its API key.
    public var apiKeyHash: SHA256Digest
    /// The secret that signs its deliveries to inline `webhook_url`s.
    public var defaultSigningSecret: String
    /// The secrets rotations replaced whose grace may not be over, newest first (`PreviousSecret.retiring`).
    public var previousSigningSecrets: [PreviousSecret]
    /// The wire profile of those deliveries.
    public var inlineProfile: String
    /// When it was created, in milliseconds since 1970.
    public var createdAtMs: UInt64

    /// A tenant's state.
    public init(
        name: String,
        apiKeyHash: SHA256Digest,
        defaultSigningSecret: String,
        previousSigningSecrets: [PreviousSecret] = [],
        inlineProfile: String,
        createdAtMs: UInt64
    ) {
        self.name = name
        self.apiKeyHash = apiKeyHash
        self.defaultSigningSecret = defaultSigningSecret
        self.previousSigningSecrets = previousSigningSecrets
        self.inlineProfile = inlineProfile
        self.createdAtMs = createdAtMs
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

extension TenantState: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.writeString(self.name)
        writer.writeDigest(self.apiKeyHash)
        writer.writeString(self.defaultSigningSecret)
        writer.writeArray(self.previousSigningSecrets)
        writer.writeString(self.inlineProfile)
        writer.writeVarint(self.createdAtMs)
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        self.name = try reader.readString()
        self.apiKeyHash = try reader.readDigest()
        self.defaultSigningSecret = try reader.readString()
        self.previousSigningSecrets = try reader.readArray()
        self.inlineProfile = try reader.readString()
        self.createdAtMs = try reader.readVarint()
    }
}

extension TenantState: ProjectedEntity {
    public static var table: ProjectionTable { .tenants }
    public static func key(_ id: TenantID) -> [UInt8] { ProjectionKeys.tenant(id) }

    /// The tenant found by its API key, which a rotation replaces.
    public func stateIndexEntries(of id: TenantID) -> [IndexEntry] {
        [IndexEntry(.apiKeys, ProjectionKeys.apiKey(self.apiKeyHash), id.bytes)]
    }
}
