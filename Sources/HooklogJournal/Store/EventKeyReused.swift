/// An event posted with an `Idempotency-Key` that an event with another body took first: not a
/// repeat, another event, which the key cannot name. Answering it with the first event's answer
/// would drop it without a word.
public struct EventKeyReused: Error, Sendable, Equatable, CustomStringConvertible {
    /// The key.
    public let idempotencyKey: String

    public init(idempotencyKey: String) {
        self.idempotencyKey = idempotencyKey
    }

    public var description: String {
        "Idempotency-Key \"\(self.idempotencyKey)\" was used for another event (another body): give each event a key of its own"
    }
}
