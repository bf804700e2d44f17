/// One attempt of a delivery, as the delivery's state lists it. The response excerpt stays in
/// the log, in the `AttemptFinished` record at `finishedSequence`.
public struct AttemptSummary: Sendable, Equatable {
    /// 1 for the first attempt.
    public var number: UInt32
    /// When it started, in milliseconds since 1970.
    public var startedAtMs: UInt64
    /// The log sequence of its `AttemptStarted` record: whether it went to its endpoint's
    /// current URL is a matter of log order (`EndpointState.urlSinceSequence`), not of clocks.
    public var startedSequence: UInt64
    /// The replay that caused it, if any.
    public var replayId: ReplayID?
    /// When it finished; `nil` while in flight.
    public var finishedAtMs: UInt64?
    /// The HTTP status, if there was an answer.
    public var statusCode: UInt16?
    /// Why there was no answer, if there was none.
    public var errorKind: AttemptErrorKind?
    /// How long it took, in milliseconds, once finished.
    public var latencyMs: UInt64?
    /// The log sequence of its `AttemptFinished` record, once finished.
    public var finishedSequence: UInt64?

    /// An attempt's summary.
    public init(
        number: UInt32,
        startedAtMs: UInt64,
        startedSequence: UInt64,
        replayId: ReplayID? = nil,
        finishedAtMs: UInt64? = nil,
        statusCode: UInt16? = nil,
        errorKind: AttemptErrorKind? = nil,
        latencyMs: UInt64? = nil,
        finishedSequence: UInt64? = nil
    ) {
        self.number = number
        self.startedAtMs = startedAtMs
        self.startedSequence = startedSequence
        self.replayId = replayId
        self.finishedAtMs = finishedAtMs
        self.statusCode = statusCode
        self.errorKind = errorKind
        self.latencyMs = latencyMs
        self.finishedSequence = finishedSequence
    }

    /// How long its answer (or its error) took: `nil` in flight, and for an interrupted attempt
    /// (`AttemptFinished.answerLatencyMs`).
    public var answerLatencyMs: UInt64? {
        self.errorKind == .interrupted ? nil : self.latencyMs
    }

    /// Whether its result is in.
    public var isFinished: Bool {
        self.finishedAtMs != nil
    }
}

extension AttemptSummary: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.writeVarint(self.number)
        writer.writeVarint(self.startedAtMs)
        writer.writeVarint(self.startedSequence)
        writer.writeOptionalID(self.replayId)
        writer.writeOptionalVarint(self.finishedAtMs)
        writer.writeOptionalVarint16(self.statusCode)
        writer.writeOptionalTag(self.errorKind)
        writer.writeOptionalVarint(self.latencyMs)
        writer.writeOptionalVarint(self.finishedSequence)
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        self.number = try reader.readVarint32()
        self.startedAtMs = try reader.readVarint()
        self.startedSequence = try reader.readVarint()
        self.replayId = try reader.readOptionalID()
        self.finishedAtMs = try reader.readOptionalVarint()
        self.statusCode = try reader.readOptionalVarint16()
        self.errorKind = try reader.readOptionalTag()
        self.latencyMs = try reader.readOptionalVarint()
        self.finishedSequence = try reader.readOptionalVarint()
    }
}
