/// An event was accepted from a platform. The request body is kept verbatim: what receivers get
/// and what the export shows are these exact bytes.
public struct EventReceived: Sendable, Equatable {
    /// The tenant that posted it.
    public var tenantId: TenantID
    /// Its id, the one every receiver sees.
    public var eventId: EventID
    /// Its type, e.g. `call.completed`.
    public var type: String
    /// The request body, byte for byte.
    public var rawBody: [UInt8]
    /// When Hooklog received it, in milliseconds since 1970.
    public var receivedAtMs: UInt64
    /// When it happened, as the platform says, in milliseconds since 1970.
    public var occurredAtMs: UInt64?
    /// The call it belongs to.
    public var callId: String?
    /// The `Idempotency-Key` it came with.
    public var idempotencyKey: String?
    /// A URL to deliver to besides the registered endpoints (`webhook_url`).
    public var webhookURL: String?

    /// An event-received record.
    public init(
        tenantId: TenantID,
        eventId: EventID,
        type: String,
        rawBody: [UInt8],
        receivedAtMs: UInt64,
        occurredAtMs: UInt64? = nil,
        callId: String? = nil,
        idempotencyKey: String? = nil,
        webhookURL: String? = nil
    ) {
        self.tenantId = tenantId
        self.eventId = eventId
        self.type = type
        self.rawBody = rawBody
        self.receivedAtMs = receivedAtMs
        self.occurredAtMs = occurredAtMs
        self.callId = callId
        self.idempotencyKey = idempotencyKey
        self.webhookURL = webhookURL
    }
}

extension EventReceived: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.writeID(self.tenantId)
        writer.writeID(self.eventId)
        writer.writeString(self.type)
        writer.writeBytes(self.rawBody)
        writer.writeVarint(self.receivedAtMs)
        writer.writeOptionalVarint(self.occurredAtMs)
        writer.writeOptionalString(self.callId)
        writer.writeOptionalString(self.idempotencyKey)
        writer.writeOptionalString(self.webhookURL)
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        self.tenantId = try reader.readID()
        self.eventId = try reader.readID()
        self.type = try reader.readString()
        self.rawBody = try reader.readBytes()
        self.receivedAtMs = try reader.readVarint()
        self.occurredAtMs = try reader.readOptionalVarint()
        self.callId = try reader.readOptionalString()
        self.idempotencyKey = try reader.readOptionalString()
        self.webhookURL = try reader.readOptionalString()
    }
}
