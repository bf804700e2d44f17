/// A mid-call invocation began: a synchronous call of an endpoint (or URL) within a budget.
public struct InvocationStarted: Sendable, Equatable {
    /// The new invocation.
    public var invocationId: InvocationID
    /// Its tenant.
    public var tenantId: TenantID
    /// The endpoint called, if it is a registered one.
    public var endpointId: EndpointID?
    /// The URL called.
    public var url: String
    /// The call it belongs to.
    public var callId: String?
    /// The request body sent, byte for byte.
    public var requestBody: [UInt8]
    /// How long the caller waits before answering `pending`, in milliseconds.
    public var budgetMs: UInt64
    /// When it started, in milliseconds since 1970.
    public var startedAtMs: UInt64

    /// An invocation-started record.
    public init(
        invocationId: InvocationID,
        tenantId: TenantID,
        endpointId: EndpointID?,
        url: String,
        callId: String?,
        requestBody: [UInt8],
        budgetMs: UInt64,
        startedAtMs: UInt64
    ) {
        self.invocationId = invocationId
        self.tenantId = tenantId
        self.endpointId = endpointId
        self.url = url
        self.callId = callId
        self.requestBody = requestBody
        self.budgetMs = budgetMs
        self.startedAtMs = startedAtMs
    }
}

extension InvocationStarted: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.writeID(self.invocationId)
        writer.writeID(self.tenantId)
        writer.writeOptionalID(self.endpointId)
        writer.writeString(self.url)
        writer.writeOptionalString(self.callId)
        writer.writeBytes(self.requestBody)
        writer.writeVarint(self.budgetMs)
        writer.writeVarint(self.startedAtMs)
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        self.invocationId = try reader.readID()
        self.tenantId = try reader.readID()
        self.endpointId = try reader.readOptionalID()
        self.url = try reader.readString()
        self.callId = try reader.readOptionalString()
        self.requestBody = try reader.readBytes()
        self.budgetMs = try reader.readVarint()
        self.startedAtMs = try reader.readVarint()
    }
}
