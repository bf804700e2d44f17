/// How an envelope writes an instant.
public enum TimeFormat: String, Codable, Sendable, CaseIterable {
    /// An RFC 3339 string in UTC to the second: `"2026-05-09T14:32:55Z"`.
    case rfc3339
    /// An RFC 3339 string in UTC to the millisecond: `"2026-01-01T12:01:24.000Z"`.
    case rfc3339Millis
    /// A JSON integer of seconds since the epoch: `1713268800`.
    case unixSeconds
    /// A JSON integer of milliseconds since the epoch.
    case unixMillis
}
