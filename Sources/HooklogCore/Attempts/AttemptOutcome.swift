/// How one attempt ended: an HTTP status or an error before any answer.
public enum AttemptOutcome: Hashable, Sendable {
    /// The receiver answered with this status code.
    case status(Int)
    /// No answer came.
    case error(AttemptErrorKind)
}
