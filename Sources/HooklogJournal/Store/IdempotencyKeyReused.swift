/// A creating request with an `Idempotency-Key` that a request with another body took first: not
/// a repeat, another request, which the key cannot name. Answering it with the first request's
/// answer would drop it without a word.
public struct IdempotencyKeyReused: Error, Sendable, Equatable, CustomStringConvertible {
    /// What the key's first request created.
    public enum Creation: Sendable, Equatable {
        /// `POST /v1/events`.
        case event
        /// `POST /v1/endpoints`.
        case endpoint
    }

    /// The key.
    public let idempotencyKey: String
    /// What the key created first.
    public let creation: Creation

    public init(idempotencyKey: String, creation: Creation) {
        self.idempotencyKey = idempotencyKey
        self.creation = creation
    }

    public var description: String {
        let noun = switch self.creation {
        case .event: "event"
        case .endpoint: "endpoint"
        }
        return "Idempotency-Key \"\(self.idempotencyKey)\" was used for another \(noun) (another body): give each \(noun) a key of its own"
    }
}
