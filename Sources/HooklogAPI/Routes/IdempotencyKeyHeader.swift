import HTTPTypes
import Hummingbird

/// `Idempotency-Key`, which makes a retried `POST /v1/events`, `POST /v1/endpoints`,
/// `POST /v1/replays` or `POST /v1/deliveries/{id}/retry` answer as the first one did (a retry's
/// repeat with the delivery as it is now) and a retried `POST /v1/tenants` create nothing more,
/// and `Idempotent-Replayed`, which says an answer is a repeat's.
enum IdempotencyKeyHeader {
    /// The request header.
    static let name = HTTPField.Name("Idempotency-Key")!
    /// The response header on a repeat's answer.
    static let replayedName = HTTPField.Name("Idempotent-Replayed")!
    /// The longest key accepted, in bytes.
    static let maxBytes = 255

    /// The key `request` carries, if any; throws 400 for an empty or too long one.
    static func key(of request: Request) throws -> String? {
        guard let key = request.headers.value(of: Self.name) else { return nil }
        guard !key.isEmpty, key.utf8.count <= Self.maxBytes else {
            throw APIError.invalidParameter("Idempotency-Key must be 1 to \(Self.maxBytes) bytes")
        }
        return key
    }
}
