/// Some fields of an endpoint changed; each field is `nil` (or `.keep`) when it did not.
public struct EndpointUpdated: Sendable, Equatable {
    /// The endpoint's tenant, so that the record names its owner even after the endpoint is
    /// gone; `nil` only in records written before codec version 2.
    public var tenantId: TenantID?
    /// The endpoint.
    public var endpointId: EndpointID
    /// A new URL.
    public var url: String?
    /// A new description.
    public var description: String?
    /// A new list of event types.
    public var enabledEvents: [String]?
    /// A new wire profile.
    public var profile: String?
    /// A new bearer token, or its removal.
    public var bearerToken: NullableUpdate<String>
    /// New metadata (JSON bytes verbatim), or its removal.
    public var metadata: NullableUpdate<[UInt8]>
    /// When it changed, in milliseconds since 1970.
    public var updatedAtMs: UInt64

    /// An endpoint-updated record.
    public init(
        tenantId: TenantID?,
        endpointId: EndpointID,
        url: String? = nil,
        description: String? = nil,
        enabledEvents: [String]? = nil,
        profile: String? = nil,
        bearerToken: NullableUpdate<String> = .keep,
        metadata: NullableUpdate<[UInt8]> = .keep,
        updatedAtMs: UInt64
    ) {
        self.tenantId = tenantId
        self.endpointId = endpointId
        self.url = url
        self.description = description
        self.enabledEvents = enabledEvents
        self.profile = profile
        self.bearerToken = bearerToken
        self.metadata = metadata
        self.updatedAtMs = updatedAtMs
    }
}

extension EndpointUpdated: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.writeOptionalID(self.tenantId)
        writer.writeID(self.endpointId)
        writer.writeOptionalString(self.url)
        writer.writeOptionalString(self.description)
        writer.writeOptionalStrings(self.enabledEvents)
        writer.writeOptionalString(self.profile)
        writer.writeUpdate(self.bearerToken) { $0.writeString($1) }
        writer.writeUpdate(self.metadata) { $0.writeBytes($1) }
        writer.writeVarint(self.updatedAtMs)
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        self.tenantId = reader.version >= 2 ? try reader.readOptionalID() : nil
        self.endpointId = try reader.readID()
        self.url = try reader.readOptionalString()
        self.description = try reader.readOptionalString()
        self.enabledEvents = try reader.readOptionalStrings()
        self.profile = try reader.readOptionalString()
        self.bearerToken = try reader.readStringUpdate()
        self.metadata = try reader.readBytesUpdate()
        self.updatedAtMs = try reader.readVarint()
    }
}
