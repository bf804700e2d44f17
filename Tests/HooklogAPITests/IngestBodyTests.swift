import Foundation
import HooklogJournal
import HooklogTestSupport
import NIOHTTP1
import Testing

@Suite("POST /v1/events reads its body straight from the bytes it journals")
struct IngestBodyTests {
    /// A body that must be refused with exactly this status, code and message.
    struct Refusal: Sendable, CustomStringConvertible {
        let body: String
        let status: Int
        let code: String
        let message: String

        var description: String { self.body }
    }

    static let refusals: [Refusal] = [
        Refusal(body: "", status: 400, code: "malformed_json", message: "the request body is empty; send a JSON object"),
        Refusal(body: #"{"type":"call.completed","data":{"#, status: 400, code: "malformed_json", message: #"the request body is not valid JSON: unexpected end of input, expected '"' at offset 33"#),
        Refusal(body: #"{"type":"call.completed","data":{},}"#, status: 400, code: "malformed_json", message: #"the request body is not valid JSON: expected '"' at offset 35"#),
        Refusal(body: #"{"type":"call.completed","data":{}} {}"#, status: 400, code: "malformed_json", message: #"the request body is not valid JSON: unexpected bytes after the value at offset 36"#),
        // Deliveries splice data verbatim, so data that is not JSON would reach no receiver intact.
        Refusal(body: #"{"type":"call.completed","data":{"x":"\q"}}"#, status: 400, code: "malformed_json", message: #"the request body is not valid JSON: invalid escape at offset 39"#),
        Refusal(body: #"{"type":"call.completed","data":{"x":01}}"#, status: 400, code: "malformed_json", message: #"the request body is not valid JSON: expected '}' at offset 38"#),
        // A call_id is stored as text: one that names no exact text is not repaired into another.
        Refusal(body: #"{"type":"call.completed","data":{},"call_id":"c\ud800"}"#, status: 400, code: "malformed_json", message: #"the request body is not valid JSON: \u escape of a lone surrogate at offset 47"#),
        // JSON that strict parsers (Go's, Rust's serde_json) refuse would reach no such receiver:
        // an escaped lone surrogate anywhere, a number past a double's range (RFC 7493).
        Refusal(body: #"{"type":"call.completed","data":{"x":"a\udc00"}}"#, status: 400, code: "malformed_json", message: #"the request body is not valid JSON: \u escape of a lone surrogate at offset 39"#),
        Refusal(body: #"{"type":"call.completed","data":{"\ud800":1}}"#, status: 400, code: "malformed_json", message: #"the request body is not valid JSON: \u escape of a lone surrogate at offset 34"#),
        Refusal(
            body: #"{"type":"call.completed","data":{"x":[1,-1E+999]}}"#, status: 400, code: "malformed_json",
            message: "the request body is not valid JSON: a number past the range of a double, which strict JSON parsers refuse (RFC 7493) at offset 40"
        ),
        Refusal(
            body: #"{"type":"call.completed","data":{"x":1"# + String(repeating: "0", count: 309) + "}}", status: 400, code: "malformed_json",
            message: "the request body is not valid JSON: a number past the range of a double, which strict JSON parsers refuse (RFC 7493) at offset 37"
        ),
        Refusal(
            body: #"{"type":"call.completed","data":"# + String(repeating: "[", count: 300) + String(repeating: "]", count: 300) + "}",
            status: 400, code: "malformed_json", message: "the request body is not valid JSON: nested more than 256 levels deep at offset 287"
        ),
        Refusal(body: #"["call.completed"]"#, status: 400, code: "malformed_json", message: "the request body must be a JSON object"),
        Refusal(body: "null", status: 400, code: "malformed_json", message: "the request body must be a JSON object"),
        Refusal(body: #"{"data":{}}"#, status: 422, code: "unknown_event_type", message: "type is required, e.g. call.completed"),
        Refusal(body: #"{"type":null,"data":{}}"#, status: 422, code: "unknown_event_type", message: "type is required, e.g. call.completed"),
        Refusal(body: #"{"type":5,"data":{}}"#, status: 422, code: "invalid_field", message: "type must be a string"),
        Refusal(body: #"{"type":5,"data":[]}"#, status: 422, code: "invalid_field", message: "type must be a string"),
        Refusal(
            body: #"{"type":"call.exploded","data":{}}"#, status: 422, code: "unknown_event_type",
            message: #""call.exploded" is not a known event type; GET /v1/event_types lists them"#
        ),
        Refusal(
            body: #"{"type":"call.completed"}"#, status: 422, code: "invalid_field", message: "data is required: a JSON object with the event's payload"
        ),
        Refusal(
            body: #"{"type":"call.completed","data":null}"#, status: 422, code: "invalid_field",
            message: "data is required: a JSON object with the event's payload"
        ),
        Refusal(body: #"{"type":"call.completed","data":"x"}"#, status: 422, code: "invalid_field", message: "data must be a JSON object"),
        // A member given twice: the kept body would read as either, by whoever parses it.
        Refusal(
            body: #"{"type":"call.completed","data":{},"data":{"x":1}}"#, status: 422, code: "invalid_field",
            message: #""data" is given more than once; give each member once"#
        ),
        Refusal(
            body: #"{"type":"call.completed","type":"call.failed","data":{}}"#, status: 422, code: "invalid_field",
            message: #""type" is given more than once; give each member once"#
        ),
        Refusal(body: #"{"type":"call.completed","data":{},"metadata":[1]}"#, status: 422, code: "invalid_field", message: "metadata must be a JSON object"),
        Refusal(body: #"{"type":"call.completed","data":{},"metadata":5,"call_id":5}"#, status: 422, code: "invalid_field", message: "metadata must be a JSON object"),
        Refusal(body: #"{"type":"call.completed","data":{},"call_id":7}"#, status: 422, code: "invalid_field", message: "call_id must be a string"),
        Refusal(
            body: #"{"type":"call.completed","data":{},"call_id":""}"#, status: 422, code: "invalid_field",
            message: "call_id must be 1 to 256 bytes, without control characters"
        ),
        // No control character of any kind: a tab is trimmed from a header's ends, a C1 is no text.
        Refusal(
            body: #"{"type":"call.completed","data":{},"call_id":"\t"}"#, status: 422, code: "invalid_field",
            message: "call_id must be 1 to 256 bytes, without control characters"
        ),
        Refusal(
            body: #"{"type":"call.completed","data":{},"call_id":"a\u0085b"}"#, status: 422, code: "invalid_field",
            message: "call_id must be 1 to 256 bytes, without control characters"
        ),
        // Some profiles send the call id in a header: a line feed would end it early.
        Refusal(
            body: #"{"type":"call.completed","data":{},"call_id":"call_1\nX-Injected: 1"}"#, status: 422, code: "invalid_field",
            message: "call_id must be 1 to 256 bytes, without control characters"
        ),
        Refusal(body: #"{"type":"call.completed","data":{},"occurred_at":true}"#, status: 422, code: "invalid_field", message: "occurred_at must be a string"),
        Refusal(
            body: #"{"type":"call.completed","data":{},"occurred_at":"yesterday"}"#, status: 422, code: "invalid_field",
            message: "occurred_at must be an RFC 3339 time from 1970 to 9999, such as 2026-05-09T14:32:55Z"
        ),
        Refusal(body: #"{"type":"call.completed","data":{},"webhook_url":{}}"#, status: 422, code: "invalid_field", message: "webhook_url must be a string"),
    ]

    @Test(.timeLimit(.minutes(1)))
    func testEveryRefusalHasItsStatusCodeAndMessageAndWritesNothing() async throws {
        try await withAPIHarness { hooklog in
            let key = try await hooklog.createTenant()
            for refusal in Self.refusals {
                let answer = try await hooklog.request(.POST, "/v1/events", key: key, rawBody: Array(refusal.body.utf8))
                #expect(answer.status == refusal.status, "\(refusal)")
                #expect(answer.errorCode == refusal.code, "\(refusal)")
                let message = (answer.json["error"] as? [String: Any])?["message"] as? String
                #expect(message == refusal.message, "\(refusal)")
            }
            #expect(try await hooklog.request(.GET, "/v1/events", key: key).items.isEmpty)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func testBytesThatAreNotUTF8AreRefusedWhereverTheyStand() async throws {
        try await withAPIHarness { hooklog in
            let key = try await hooklog.createTenant()
            let prefix = Array(#"{"type":"call.completed","data":{"#.utf8)
            // In a key of data, in a value of data (both copied verbatim into every delivery), in a top-level key.
            let bodies: [[UInt8]] = [
                prefix + [0x22, 0xFF, 0x22] + Array(#":1}}"#.utf8),
                prefix + Array(#""x":""#.utf8) + [0xC3, 0x28] + Array(#""}}"#.utf8),
                Array(#"{"type":"call.completed","data":{},""#.utf8) + [0xFE] + Array(#"":1}"#.utf8),
            ]
            for body in bodies {
                let answer = try await hooklog.request(.POST, "/v1/events", key: key, rawBody: body)
                #expect(answer.status == 400 && answer.errorCode == "malformed_json", "\(body)")
                #expect((answer.json["error"] as? [String: Any])?["message"] as? String == "the request body is not valid UTF-8")
            }
            #expect(try await hooklog.request(.GET, "/v1/events", key: key).items.isEmpty)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func testAnAcceptedBodyIsJournaledByteForByteWithItsFieldsDecoded() async throws {
        try await withAPIHarness { hooklog in
            let key = try await hooklog.createTenant()
            _ = try await hooklog.createEndpoint(key: key, path: "/hook")
            let data = #"{ "summary" : "caf\u00e9 \"quoted\"\n😀 \ud83d\ude00", "n" : [1, 2.50e+1, {"a":null}, 1.7e308, 1e-999, 1"# + String(repeating: "0", count: 307) + "] }"
            let body = "\n { \"webhook_url\": null,\"typ\\u0065\" : \"call.completed\", \"call_id\":\"call\\/\\u00e9 \\\"7\\\"\", "
                + "\"occurred_at\":\"2026-05-09T16:32:55.120+02:00\",\"metadata\":null, \"data\" : \(data) }\t\n"
            let answer = try await hooklog.request(.POST, "/v1/events", key: key, rawBody: Array(body.utf8))
            #expect(answer.status == 202, "\(answer.text)")
            let eventId = try #require(answer.json["id"] as? String)

            let read = try await hooklog.request(.GET, "/v1/events/\(eventId)", key: key)
            #expect(read.json["type"] as? String == "call.completed")
            #expect(read.json["call_id"] as? String == "call/é \"7\"")
            #expect(read.json["occurred_at"] as? String == "2026-05-09T14:32:55.120Z")
            #expect(read.json["metadata"] is NSNull)
            // The event's data is the posted bytes, spliced as they came.
            #expect(read.text.contains(#""data":\#(data),"#))

            let export = try await hooklog.request(.GET, "/v1/export?format=jsonl", key: key)
            let rawBodies = ExportRoutesTests.jsonLines(export.body).compactMap { $0["raw_body"] as? String }
            #expect(rawBodies == [body])

            let delivered = try await hooklog.receiver.waitForRequests(1, on: "/hook")
            #expect(String(decoding: delivered[0].body, as: UTF8.self).contains(#""data":\#(data)"#))
        }
    }

    /// An event whose bytes changed on disk since it was received is never shown as the
    /// platform's event: reading it, or a page holding it, is a 500 `log_damaged` naming it.
    @Test(.timeLimit(.minutes(1)))
    func testAnEventWhoseBytesChangedIsNotShown() async throws {
        let folder = NSTemporaryDirectory() + "hooklog-damaged-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = try await APIHarness.start(folder: folder)
        let key = try await first.createTenant()
        let posted = try await first.postEvent(key: key, data: #"{"marker":"intact"}"#)
        let eventId = try #require(posted.json["id"] as? String)
        #expect(try await first.request(.GET, "/v1/events/\(eventId)", key: key).status == 200)
        await first.stop(removingData: false)
        do {
            let environment = try LMDBEnvironment(.init(path: folder), databaseNames: [LogReader.databaseName])
            try #require(try environment.changeLogEntries(holding: "intact").count == 1)
        }
        let second = try await APIHarness.start(folder: folder)
        for path in ["/v1/events/\(eventId)", "/v1/events"] {
            let answer = try await second.request(.GET, path, key: key)
            #expect(answer.status == 500 && answer.errorCode == "log_damaged", "\(path): \(answer.status) \(answer.json)")
            #expect(!answer.text.contains("Intact"))
        }
        await second.stop()
    }
}
