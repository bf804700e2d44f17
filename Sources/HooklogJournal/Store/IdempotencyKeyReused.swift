/// A request with an `Idempotency-Key` that another request (another body, or a retry of another
/// delivery) took first: not a repeat, another request, which the key cannot name. Answering it
/// with the first request's answer would drop it without a word.
public struct IdempotencyKeyReused: Error, Sendable, Equatable, CustomStringConvertible {
    /// What the key's first request did.
    public enum Creation: Sendable, Equatable {
        /// `POST /v1/events`.
        case event
        /// `POST /v1/endpoints`.
        case endpoint
        /// `POST /v1/deliveries/{id}/retry`.
        case retry
        /// `POST /v1/tenants`.
        case tenant
    }

    /// The key.
    public let idempotencyKey: String
    /// What the key did first.
    public let creation: Creation

    public init(idempotencyKey: String, creation: Creation) {
        self.idempotencyKey = idempotencyKey
        self.creation = creation
    }

    public var description: String {
        switch self.creation {
        case .event, .endpoint, .tenant:
            let noun = self.creation == .event ? "event" : self.creation == .endpoint ? "endpoint" : "tenant"
            return "Idempotency-Key \"\(self.idempotencyKey)\" was used for another \(noun) (another body): give each \(noun) a key of its own"
        case .retry:
            return "Idempotency-Key \"\(self.idempotencyKey)\" was used to retry another delivery: give each retry a key of its own"
        }
    }
}
