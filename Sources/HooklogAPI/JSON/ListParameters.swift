import HooklogCore
import Hummingbird
import HooklogJournal

/// The paging parameters every listing takes, `limit` and `cursor`, and the time window most
/// take, `since` and `until`.
struct ListParameters {
    /// The parameter names of a listing with no time window.
    static let pagingNames = ["limit", "cursor"]
    /// The parameter names of a listing with a time window.
    static let windowedNames = pagingNames + ["since", "until"]

    /// The page size when `limit` is not given.
    static let defaultLimit = 50
    /// The largest `limit` accepted.
    static let maxLimit = 100

    /// Items per page.
    let limit: Int
    /// Where the previous page ended.
    let cursor: PageCursor?
    /// `since`, in milliseconds since 1970 (inclusive).
    let sinceMs: UInt64?
    /// `until`, in milliseconds since 1970 (exclusive).
    let untilMs: UInt64?

    /// Reads the paging and window parameters of `query`, refusing unusable ones with a 400.
    init(_ query: QueryParameters) throws {
        if let text = query["limit"] {
            guard text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let limit = Int(text), (1...Self.maxLimit).contains(limit) else {
                throw APIError.invalidParameter("limit must be a whole number from 1 to \(Self.maxLimit)")
            }
            self.limit = limit
        } else {
            self.limit = Self.defaultLimit
        }
        if let text = query["cursor"] {
            guard let cursor = PageCursor(text: String(text)) else {
                throw APIError.invalidParameter("cursor is not one this API returned; start again without it")
            }
            self.cursor = cursor
        } else {
            self.cursor = nil
        }
        self.sinceMs = try Self.time(query["since"], name: "since")
        self.untilMs = try Self.time(query["until"], name: "until")
        if let sinceMs, let untilMs, sinceMs >= untilMs {
            throw APIError.invalidParameter("since must be before until")
        }
    }

    /// A time parameter, if present.
    static func time(_ text: Substring?, name: String) throws -> UInt64? {
        guard let text else { return nil }
        guard let ms = TimeFormat.instantMs(rfc3339: String(text)) else {
            throw APIError.invalidParameter("\(name) must be an RFC 3339 time from 1970 to 9999, such as 2026-05-09T14:32:55Z")
        }
        return ms
    }
}
