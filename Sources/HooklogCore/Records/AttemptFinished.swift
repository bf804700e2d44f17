/// The answer (or the error) of an attempt came back. What happens next is a separate decision
/// record (`DeliverySucceeded`, `DeliveryRetryScheduled`, `DeliveryFailed`, `DeliveryCancelled`).
public struct AttemptFinished: Sendable, Equatable {
    /// The most response bytes a record keeps.
    public static let maxResponseExcerptBytes = 1024

    /// The delivery.
    public var deliveryId: DeliveryID
    /// The attempt's number, as started.
    public var attemptNumber: UInt32
    /// When the answer (or error) came, in milliseconds since 1970.
    public var finishedAtMs: UInt64
    /// The HTTP status, if there was an answer.
    public var statusCode: UInt16?
    /// How long the attempt took, in milliseconds.
    public var latencyMs: UInt64
    /// Why there was no answer, if there was none.
    public var errorKind: AttemptErrorKind?
    /// The start of the response body, at most `maxResponseExcerptBytes`.
    public private(set) var responseExcerpt: [UInt8]

    /// An attempt-finished record; `responseExcerpt` is cut to `maxResponseExcerptBytes`.
    public init(
        deliveryId: DeliveryID,
        attemptNumber: UInt32,
        finishedAtMs: UInt64,
        statusCode: UInt16?,
        latencyMs: UInt64,
        errorKind: AttemptErrorKind?,
        responseExcerpt: some Collection<UInt8> = []
    ) {
        self.deliveryId = deliveryId
        self.attemptNumber = attemptNumber
        self.finishedAtMs = finishedAtMs
        self.statusCode = statusCode
        self.latencyMs = latencyMs
        self.errorKind = errorKind
        self.responseExcerpt = Array(responseExcerpt.prefix(Self.maxResponseExcerptBytes))
    }

    /// Whether the receiver took it: an answer in 200…299 and no error.
    public var isSuccess: Bool {
        guard self.errorKind == nil, let statusCode = self.statusCode else { return false }
        return (200...299).contains(statusCode)
    }

    /// Whether the attempt counts against the endpoint's health: it failed, and not because
    /// Hooklog itself was stopping.
    public var countsAsEndpointFailure: Bool {
        !self.isSuccess && self.errorKind != .interrupted
    }

    /// How long its answer (or its error) took: `nil` for an interrupted attempt, which had none
    /// to time (one a crash cut off is finished by the next start, at 0 ms).
    public var answerLatencyMs: UInt64? {
        self.errorKind == .interrupted ? nil : self.latencyMs
    }
}

extension AttemptFinished: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.writeID(self.deliveryId)
        writer.writeVarint(self.attemptNumber)
        writer.writeVarint(self.finishedAtMs)
        writer.writeOptionalVarint16(self.statusCode)
        writer.writeVarint(self.latencyMs)
        writer.writeOptionalTag(self.errorKind)
        writer.writeBytes(self.responseExcerpt)
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        self.deliveryId = try reader.readID()
        self.attemptNumber = try reader.readVarint32()
        self.finishedAtMs = try reader.readVarint()
        self.statusCode = try reader.readOptionalVarint16()
        self.latencyMs = try reader.readVarint()
        self.errorKind = try reader.readOptionalTag()
        self.responseExcerpt = try reader.readBytes(maxCount: Self.maxResponseExcerptBytes)
    }
}
