/// A mid-call invocation as the `invocations` table keeps it; request and response bodies stay
/// in the log, at `startedSequence` and `result.finishedSequence`.
public struct InvocationState: Sendable, Equatable {
    /// The value format this build writes (and the only one it reads).
    public static let valueVersion: UInt8 = 1

    /// Its tenant.
    public var tenantId: TenantID
    /// The endpoint called, if it is a registered one.
    public var endpointId: EndpointID?
    /// The URL called.
    public var url: String
    /// The call it belongs to.
    public var callId: String?
    /// The caller's budget, in milliseconds.
    public var budgetMs: UInt64
    /// When it started, in milliseconds since 1970.
    public var startedAtMs: UInt64
    /// The log sequence of its `InvocationStarted` record.
    public var startedSequence: UInt64
    /// Its result, once in.
    public var result: InvocationResult?

    /// An invocation's state.
    public init(
        tenantId: TenantID,
        endpointId: EndpointID?,
        url: String,
        callId: String?,
        budgetMs: UInt64,
        startedAtMs: UInt64,
        startedSequence: UInt64,
        result: InvocationResult? = nil
    ) {
        self.tenantId = tenantId
        self.endpointId = endpointId
        self.url = url
        self.callId = callId
        self.budgetMs = budgetMs
        self.startedAtMs = startedAtMs
        self.startedSequence = startedSequence
        self.result = result
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

extension InvocationState: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.writeID(self.tenantId)
        writer.writeOptionalID(self.endpointId)
        writer.writeString(self.url)
        writer.writeOptionalString(self.callId)
        writer.writeVarint(self.budgetMs)
        writer.writeVarint(self.startedAtMs)
        writer.writeVarint(self.startedSequence)
        writer.writeOptional(self.result)
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        self.tenantId = try reader.readID()
        self.endpointId = try reader.readOptionalID()
        self.url = try reader.readString()
        self.callId = try reader.readOptionalString()
        self.budgetMs = try reader.readVarint()
        self.startedAtMs = try reader.readVarint()
        self.startedSequence = try reader.readVarint()
        self.result = try reader.readOptional()
    }
}

extension InvocationState: ProjectedEntity {
    public static var table: ProjectionTable { .invocations }
    public static func key(_ id: InvocationID) -> [UInt8] { ProjectionKeys.invocation(id) }

    /// Until it has a result, its place among the invocations a restart must finish.
    public func stateIndexEntries(of id: InvocationID) -> [IndexEntry] {
        self.result == nil ? [IndexEntry(.runningInvocations, ProjectionKeys.runningInvocation(id))] : []
    }
}
