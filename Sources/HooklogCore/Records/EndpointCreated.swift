/// An endpoint was registered for a tenant.
public struct EndpointCreated: Sendable, Equatable {
    /// The new endpoint.
    public var endpointId: EndpointID
    /// Its tenant.
    public var tenantId: TenantID
    /// Where deliveries are posted.
    public var url: String
    /// Free text from its owner.
    public var description: String
    /// The event types it receives; `"*"` means all.
    public var enabledEvents: [String]
    /// The wire profile, e.g. `standard`.
    public var profile: String
    /// The signing secret, as shown to the user (`whsec_…` for the standard profile).
    public var signingSecret: String
    /// A token sent as `Authorization: Bearer …` by profiles that use one.
    public var bearerToken: String?
    /// The owner's metadata, as JSON bytes verbatim.
    public var metadata: [UInt8]?
    /// When it was created, in milliseconds since 1970.
    public var createdAtMs: UInt64
    /// The `Idempotency-Key` the creating request came with, which a repeat of the request is
    /// answered by; `nil` in records written before codec version 3.
    public var idempotentRequest: IdempotentRequest?

    /// An endpoint-created record.
    public init(
        endpointId: EndpointID,
        tenantId: TenantID,
        url: String,
        description: String,
        enabledEvents: [String],
        profile: String,
        signingSecret: String,
        bearerToken: String?,
        metadata: [UInt8]?,
        createdAtMs: UInt64,
        idempotentRequest: IdempotentRequest? = nil
    ) {
        self.endpointId = endpointId
        self.tenantId = tenantId
        self.url = url
        self.description = description
        self.enabledEvents = enabledEvents
        self.profile = profile
        self.signingSecret = signingSecret
        self.bearerToken = bearerToken
        self.metadata = metadata
        self.createdAtMs = createdAtMs
        self.idempotentRequest = idempotentRequest
    }
}

extension EndpointCreated: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.writeID(self.endpointId)
        writer.writeID(self.tenantId)
        writer.writeString(self.url)
        writer.writeString(self.description)
        writer.writeStrings(self.enabledEvents)
        writer.writeString(self.profile)
        writer.writeString(self.signingSecret)
        writer.writeOptionalString(self.bearerToken)
        writer.writeOptionalBytes(self.metadata)
        writer.writeVarint(self.createdAtMs)
        writer.writeOptional(self.idempotentRequest)
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        self.endpointId = try reader.readID()
        self.tenantId = try reader.readID()
        self.url = try reader.readString()
        self.description = try reader.readString()
        self.enabledEvents = try reader.readStrings()
        self.profile = try reader.readString()
        self.signingSecret = try reader.readString()
        self.bearerToken = try reader.readOptionalString()
        self.metadata = try reader.readOptionalBytes()
        self.createdAtMs = try reader.readVarint()
        self.idempotentRequest = reader.version >= 3 ? try reader.readOptional() : nil
    }
}
