/// What came back from one attempt: a status, or why there was none.
public struct AttemptResponse: Sendable, Equatable {
    /// The bytes of the response body that are kept: enough to debug, never a whole payload.
    public static let excerptLimitBytes = 1024

    /// The HTTP status, when an answer came.
    public var statusCode: Int?
    /// Why no answer came (or why it was cut off).
    public var errorKind: AttemptErrorKind?
    /// A sentence about the error, for the attempt's record.
    public var errorMessage: String?
    /// Time from sending to the end of the answer (or the error).
    public var latencyMs: UInt64
    /// The first `excerptLimitBytes` of the response body.
    public var responseExcerpt: [UInt8]
    /// What cut the body off after the status had come (`errorMessage` says more). The status
    /// stands, as it does for any webhook sender: the endpoint answered. A caller that needs the
    /// whole body (mid-call) treats it as this error.
    public var bodyCutOffBy: AttemptErrorKind?
    /// The wait a 429 or 503 asked for in its `Retry-After`, when it carried one that reads.
    public var retryAfter: RetryAfter?
    /// How long Hooklog holds the delivery back when it did not send for want of its own
    /// resources (`heldBack`); `nil` otherwise.
    public var heldBackMs: UInt64?

    /// A response or failure.
    public init(
        statusCode: Int?,
        errorKind: AttemptErrorKind?,
        errorMessage: String?,
        latencyMs: UInt64,
        responseExcerpt: [UInt8],
        bodyCutOffBy: AttemptErrorKind? = nil
    ) {
        self.statusCode = statusCode
        self.errorKind = errorKind
        self.errorMessage = errorMessage
        self.latencyMs = latencyMs
        self.responseExcerpt = responseExcerpt
        self.bodyCutOffBy = bodyCutOffBy
    }

    /// A failure before any byte was sent.
    public static func failed(_ kind: AttemptErrorKind, _ message: String, latencyMs: UInt64 = 0) -> AttemptResponse {
        AttemptResponse(statusCode: nil, errorKind: kind, errorMessage: message, latencyMs: latencyMs, responseExcerpt: [])
    }

    /// Not sent because Hooklog itself could not (its DNS lookups all taken, say): `interrupted`,
    /// as the endpoint is not to blame and no retry is used, but due again only after `heldBackMs`,
    /// when the resource may be free, not at once.
    public static func heldBack(_ message: String, forMs heldBackMs: UInt64) -> AttemptResponse {
        var response = Self.failed(.interrupted, message)
        response.heldBackMs = heldBackMs
        return response
    }
}

extension AttemptResponse {
    /// What the retry policy judges: the status, or the error when there was none.
    public var outcome: AttemptOutcome {
        if let statusCode = self.statusCode, self.errorKind == nil { return .status(statusCode) }
        return .error(self.errorKind ?? .other)
    }
}
