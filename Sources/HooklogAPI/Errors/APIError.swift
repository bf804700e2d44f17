public import HTTPTypes
public import Hummingbird
import NIOCore

/// The one error a client sees: a status and `{"error":{"code","message"}}`, where `code` is a
/// stable machine-readable word and `message` a sentence a person can act on.
public struct APIError: Error, HTTPResponseError, Sendable, CustomStringConvertible {
    /// The HTTP status.
    public let status: HTTPResponse.Status
    /// A stable, machine-readable reason, e.g. `invalid_url`.
    public let code: String
    /// What went wrong and what to do about it.
    public let message: String
    /// Members of the error object after `code` and `message`, for a client to act on.
    let details: [(String, JSONValue)]
    /// The `Allow` header of a 405: the methods the route takes.
    let allow: String?

    /// An error with this status, code and message.
    public init(_ status: HTTPResponse.Status, code: String, message: String) {
        self.init(status, code: code, message: message, details: [])
    }

    init(_ status: HTTPResponse.Status, code: String, message: String, details: [(String, JSONValue)] = [], allow: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.allow = allow
    }

    /// The request body is not valid JSON, or not the expected shape of JSON.
    public static func malformedJSON(_ message: String) -> Self {
        Self(.badRequest, code: "malformed_json", message: message)
    }

    /// A query parameter or header is not usable.
    public static func invalidParameter(_ message: String) -> Self {
        Self(.badRequest, code: "invalid_parameter", message: message)
    }

    /// No credentials, or credentials that match no key.
    public static func unauthorized(_ message: String) -> Self {
        Self(.unauthorized, code: "unauthorized", message: message)
    }

    /// The route exists, and does not take `method`; `allowed` are the methods it takes (`Allow`).
    static func methodNotAllowed(_ method: HTTPRequest.Method, allowed: [HTTPRequest.Method]) -> Self {
        let names = allowed.map(\.rawValue).joined(separator: ", ")
        return Self(.methodNotAllowed, code: "method_not_allowed", message: "this route takes \(names), not \(method.rawValue)", allow: names)
    }

    /// The credentials are valid but may not do this.
    public static func forbidden(_ message: String) -> Self {
        Self(.forbidden, code: "forbidden", message: message)
    }

    /// No such object for this caller (another tenant's object is reported the same way).
    public static func notFound(_ message: String) -> Self {
        Self(.notFound, code: "not_found", message: message)
    }

    /// The request conflicts with the object's current state.
    public static func conflict(_ message: String) -> Self {
        Self(.conflict, code: "conflict", message: message)
    }

    /// The body is larger than the configured limit.
    public static func payloadTooLarge(limitBytes: Int) -> Self {
        Self(.contentTooLarge, code: "payload_too_large", message: "the request body is larger than the limit of \(limitBytes) bytes")
    }

    /// The body did not arrive within the configured time.
    public static func requestTimeout(limitMs: Int64) -> Self {
        Self(.requestTimeout, code: "request_timeout", message: "the request body did not arrive within \(limitMs) ms of its head")
    }

    /// The JSON is well formed but a value is missing or not acceptable.
    public static func invalidField(_ message: String) -> Self {
        Self(.unprocessableContent, code: "invalid_field", message: message)
    }

    /// A replay's window holds more than one request may re-send or look at; `split_at` says
    /// where the limit was reached (the part before it fits, for one tenant's replay).
    static func replayTooLarge(_ message: String, splitAtMs: UInt64) -> Self {
        Self(.unprocessableContent, code: "replay_too_large", message: message, details: [("split_at", .time(splitAtMs))])
    }

    /// An idempotency key that answered another request.
    static func idempotencyKeyReused(_ message: String) -> Self {
        Self(.unprocessableContent, code: "idempotency_key_reused", message: message)
    }

    /// An idempotency key whose first answer, given at `createdAtMs`, is too old to be given again.
    static func idempotencyKeyExpired(_ message: String, createdAtMs: UInt64) -> Self {
        Self(.unprocessableContent, code: "idempotency_key_expired", message: message, details: [("created_at", .time(createdAtMs))])
    }

    /// A repeated creation whose first answer cannot be given again (it held a key kept only as
    /// a hash): what the first created, `id`, at `createdAtMs`.
    static func alreadyCreated(_ message: String, id: String, createdAtMs: UInt64) -> Self {
        Self(.conflict, code: "already_created", message: message, details: [("id", .string(id)), ("created_at", .time(createdAtMs))])
    }

    /// The tenant's replay requests fill its line; nothing was done, and the same request may be
    /// sent again once they are answered (`Retry-After` says when to try).
    static func tooManyReplays(_ message: String) -> Self {
        Self(.tooManyRequests, code: "too_many_replays", message: message)
    }

    /// The tenant has as many mid-call invocations running as one tenant may (others' still
    /// run); the same request may succeed shortly.
    static func tooManyRunningCalls(_ message: String) -> Self {
        Self(.tooManyRequests, code: "too_many_running_calls", message: message)
    }

    /// The caller has an export streaming still; the same request may be sent once it has ended.
    static func tooManyExports(_ message: String) -> Self {
        Self(.tooManyRequests, code: "too_many_exports", message: message)
    }

    /// A URL that may not receive webhooks.
    public static func invalidURL(_ message: String) -> Self {
        Self(.unprocessableContent, code: "invalid_url", message: message)
    }

    /// An event type missing from the catalog.
    public static func unknownEventType(_ message: String) -> Self {
        Self(.unprocessableContent, code: "unknown_event_type", message: message)
    }

    /// The service is not ready (starting or stopping).
    public static func notReady(_ message: String) -> Self {
        Self(.serviceUnavailable, code: Self.notReadyCode, message: message)
    }

    /// `notReady`'s code.
    static let notReadyCode = "not_ready"

    /// Whether it says the service does not serve the request now (`notReady`): a 503 the
    /// service gives as it should, not a failure of its own.
    var isNotReady: Bool { self.code == Self.notReadyCode }

    /// The caller has as many of something as it may.
    public static func limitReached(_ message: String) -> Self {
        Self(.conflict, code: "limit_reached", message: message)
    }

    /// An endpoint URL's host could not be looked up now (DNS did not answer, or Hooklog's
    /// lookups were all taken); the same request may succeed shortly.
    public static func lookupUnavailable(_ message: String) -> Self {
        Self(.serviceUnavailable, code: "lookup_unavailable", message: message)
    }

    /// Hooklog's storage refused a read or write (a full or failing disk): nothing of the request
    /// was kept, and the same request may succeed once the disk is freed or mended.
    static var storageUnavailable: Self {
        Self(
            .serviceUnavailable, code: "storage_unavailable",
            message: "Hooklog's storage failed (a full or failing disk); nothing of this request was kept: try again later"
        )
    }

    /// Hooklog is at a limit of work at once; the same request may succeed shortly.
    public static func busy(_ message: String) -> Self {
        Self(.serviceUnavailable, code: "busy", message: message)
    }

    /// Something failed inside Hooklog; the message never carries internals.
    public static var internalError: Self {
        Self(.internalServerError, code: "internal_error", message: "an internal error occurred; nothing was changed, try again")
    }

    public var description: String {
        "\(self.status.code) \(self.code): \(self.message)"
    }

    /// A body's member of a name the request does not take, `taken` listing those it does.
    static func unknownMember(_ name: String, taken: String) -> Self {
        .invalidField("\(Self.quoted(name)) is not a member this request takes (\(taken))")
    }

    /// `text` from a request, in quotes, for a message: at most `quotedCharacterLimit` characters
    /// of it, so that a message never grows with what it refuses (a 500 KB event type).
    static func quoted(_ text: some StringProtocol) -> String {
        guard text.count > Self.quotedCharacterLimit else { return "\"\(text)\"" }
        return "\"\(text.prefix(Self.quotedCharacterLimit))…\" (\(text.utf8.count) bytes)"
    }

    /// The most characters of a request's text a message quotes.
    static let quotedCharacterLimit = 64

    /// Renders the error as its JSON body.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var body = JSONValue.object([
            ("error", .object([("code", .string(self.code)), ("message", .string(self.message))] + self.details))
        ]).response(status: self.status)
        if let allow = self.allow {
            body.headers[.allow] = allow
        }
        if self.status == .unauthorized {
            body.headers[.wwwAuthenticate] = "Bearer"
        }
        // Either says the same request may succeed shortly.
        if self.status == .tooManyRequests || self.status == .serviceUnavailable {
            body.headers[.retryAfter] = "1"
        }
        // A request refused before its body was read to its end gets `Connection: close` from
        // `ClosesAfterResponse`, which sees how much of it came.
        return body
    }
}
