public import HTTPTypes
public import Hummingbird
import HooklogCore
import NIOCore

/// A JSON document to send, built in the order its members should appear; `raw` embeds bytes
/// that already are JSON (an event's `data`, an endpoint's `metadata`) verbatim.
public indirect enum JSONValue: Sendable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integer.
    case int(Int64)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object whose members keep this order.
    case object([(String, JSONValue)])
    /// Bytes that are one JSON value already.
    case raw([UInt8])

    /// `string(text)`, or `null` when `text` is `nil`.
    static func optional(_ text: String?) -> JSONValue {
        text.map(JSONValue.string) ?? .null
    }

    /// An RFC 3339 UTC time with milliseconds, or `null`.
    static func time(_ instantMs: UInt64?) -> JSONValue {
        guard let instantMs, let text = TimeFormat.rfc3339(instantMs: Int64(clamping: instantMs), millis: true) else { return .null }
        return .string(text)
    }

    /// The UTF-8 text.
    var bytes: [UInt8] {
        // Room for a typical answer (an ingest's is about 80 bytes), so the buffer seldom regrows.
        var writer = JSONBodyWriter(capacity: 256)
        self.write(into: &writer)
        return writer.bytes
    }

    private func write(into writer: inout JSONBodyWriter) {
        switch self {
        case .null: writer.appendRaw("null".utf8)
        case .bool(let value): writer.appendRaw((value ? "true" : "false").utf8)
        case .int(let value): writer.appendInteger(value)
        case .string(let text): writer.appendString(text)
        case .raw(let bytes): writer.appendRaw(bytes)
        // Punctuation goes in byte by byte and members by index: appending a one-character string's
        // UTF-8 view and iterating `enumerated()` took twice as long for a whole ingest answer.
        case .array(let items):
            writer.append("[")
            for index in items.indices {
                if index > 0 { writer.append(",") }
                items[index].write(into: &writer)
            }
            writer.append("]")
        case .object(let members):
            writer.append("{")
            for index in members.indices {
                if index > 0 { writer.append(",") }
                writer.appendString(members[index].0)
                writer.append(":")
                members[index].1.write(into: &writer)
            }
            writer.append("}")
        }
    }

    /// A response carrying this document as `application/json`.
    public func response(status: HTTPResponse.Status, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: self.bytes)))
    }

    /// A list page: `{"data":[…],"next_cursor":…}`.
    static func list(_ items: [JSONValue], nextCursor: String?) -> JSONValue {
        .object([("data", .array(items)), ("next_cursor", .optional(nextCursor))])
    }
}

