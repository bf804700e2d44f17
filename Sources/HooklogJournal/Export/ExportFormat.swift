/// How an export spells its lines.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// One JSON object per line; an event's raw body as a JSON string (`raw_body`), or in base64
    /// (`raw_body_base64`) when it is not UTF-8.
    case jsonl
    /// CSV as RFC 4180 quotes it, with a header row, but lines ending in LF (as JSON lines do)
    /// rather than CRLF; an event's raw body in base64, a record's fields as JSON.
    case csv

    /// The media type to serve it with.
    public var contentType: String {
        switch self {
        case .jsonl: "application/x-ndjson"
        case .csv: "text/csv; charset=utf-8"
        }
    }
}
