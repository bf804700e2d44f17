/// How a mid-call invocation ended; the response body stays in the log at `finishedSequence`.
public struct InvocationResult: Sendable, Equatable {
    /// When the result came, in milliseconds since 1970.
    public var finishedAtMs: UInt64
    /// The HTTP status, if there was an answer.
    public var statusCode: UInt16?
    /// How long it took, in milliseconds.
    public var latencyMs: UInt64
    /// Why there was no answer, if there was none.
    public var errorKind: AttemptErrorKind?
    /// The log sequence of its `InvocationFinished` record.
    public var finishedSequence: UInt64

    /// An invocation's result.
    public init(finishedAtMs: UInt64, statusCode: UInt16?, latencyMs: UInt64, errorKind: AttemptErrorKind?, finishedSequence: UInt64) {
        self.finishedAtMs = finishedAtMs
        self.statusCode = statusCode
        self.latencyMs = latencyMs
        self.errorKind = errorKind
        self.finishedSequence = finishedSequence
    }
}

extension InvocationResult: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.writeVarint(self.finishedAtMs)
        writer.writeOptionalVarint16(self.statusCode)
        writer.writeVarint(self.latencyMs)
        writer.writeOptionalTag(self.errorKind)
        writer.writeVarint(self.finishedSequence)
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        self.finishedAtMs = try reader.readVarint()
        self.statusCode = try reader.readOptionalVarint16()
        self.latencyMs = try reader.readVarint()
        self.errorKind = try reader.readOptionalTag()
        self.finishedSequence = try reader.readVarint()
    }
}
