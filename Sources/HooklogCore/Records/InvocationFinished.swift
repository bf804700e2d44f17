/// A mid-call invocation ended (within its budget or late): its final result.
public struct InvocationFinished: Sendable, Equatable {
    /// The invocation.
    public var invocationId: InvocationID
    /// When the result came, in milliseconds since 1970.
    public var finishedAtMs: UInt64
    /// The HTTP status, if there was an answer.
    public var statusCode: UInt16?
    /// The response body, byte for byte (bounded by the invoker).
    public var responseBody: [UInt8]
    /// How long it took from start to result, in milliseconds.
    public var latencyMs: UInt64
    /// Why there was no answer, if there was none.
    public var errorKind: AttemptErrorKind?

    /// An invocation-finished record.
    public init(
        invocationId: InvocationID,
        finishedAtMs: UInt64,
        statusCode: UInt16?,
        responseBody: [UInt8],
        latencyMs: UInt64,
        errorKind: AttemptErrorKind?
    ) {
        self.invocationId = invocationId
        self.finishedAtMs = finishedAtMs
        self.statusCode = statusCode
        self.responseBody = responseBody
        self.latencyMs = latencyMs
        self.errorKind = errorKind
    }
}

extension InvocationFinished: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.writeID(self.invocationId)
        writer.writeVarint(self.finishedAtMs)
        writer.writeOptionalVarint16(self.statusCode)
        writer.writeBytes(self.responseBody)
        writer.writeVarint(self.latencyMs)
        writer.writeOptionalTag(self.errorKind)
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        self.invocationId = try reader.readID()
        self.finishedAtMs = try reader.readVarint()
        self.statusCode = try reader.readOptionalVarint16()
        self.responseBody = try reader.readBytes()
        self.latencyMs = try reader.readVarint()
        self.errorKind = try reader.readOptionalTag()
    }
}
