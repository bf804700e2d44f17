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
    /// The longest key accepted, in characters (printable ASCII: one byte each).
    static let maxLength = 255

    /// The key `request` carries, if any; throws 400 for one that is empty, too long, of other
    /// characters than printable ASCII, or sent twice.
    ///
    /// Other bytes are refused, not compared: the HTTP parser reads them as UTF-8, each
    /// malformed sequence as U+FFFD, so two different keys could arrive as one, and the second
    /// request be answered as a repeat of the first and dropped. Two fields are not joined into
    /// one key (`a, b`) either.
    static func key(of request: Request) throws -> String? {
        var keys = request.headers.lazy.filter { $0.name == Self.name }.makeIterator()
        guard let key = keys.next()?.value else { return nil }
        guard keys.next() == nil else { throw APIError.invalidParameter("send one Idempotency-Key, not several") }
        guard !key.isEmpty, key.utf8.count <= Self.maxLength, key.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) else {
            throw APIError.invalidParameter("Idempotency-Key must be 1 to \(Self.maxLength) printable ASCII characters")
        }
        return key
    }
}
