import Foundation
import HooklogTestSupport
import NIOHTTP1
import Testing

@Suite("Bad input gets a clear error and changes nothing")
struct BadInputTests {
    /// A request that must be refused with this status and error code.
    struct Case: Sendable, CustomStringConvertible {
        let description: String
        let method: String
        let path: String
        let body: String?
        let status: Int
        let code: String
    }

    static let eventCases: [Case] = [
        Case(description: "malformed JSON", method: "POST", path: "/v1/events", body: #"{"type":"call.completed","data":{"#, status: 400, code: "malformed_json"),
        Case(description: "not an object", method: "POST", path: "/v1/events", body: #"["call.completed"]"#, status: 400, code: "malformed_json"),
        Case(description: "empty body", method: "POST", path: "/v1/events", body: nil, status: 400, code: "malformed_json"),
        Case(description: "unknown event type", method: "POST", path: "/v1/events", body: #"{"type":"call.exploded","data":{}}"#, status: 422, code: "unknown_event_type"),
        Case(description: "missing event type", method: "POST", path: "/v1/events", body: #"{"data":{}}"#, status: 422, code: "unknown_event_type"),
        Case(description: "type of the wrong kind", method: "POST", path: "/v1/events", body: #"{"type":5,"data":{}}"#, status: 422, code: "invalid_field"),
        Case(description: "reserved event type", method: "POST", path: "/v1/events", body: #"{"type":"endpoint.disabled","data":{}}"#, status: 422, code: "unknown_event_type"),
        Case(description: "missing data", method: "POST", path: "/v1/events", body: #"{"type":"call.completed"}"#, status: 422, code: "invalid_field"),
        Case(description: "data not an object", method: "POST", path: "/v1/events", body: #"{"type":"call.completed","data":"x"}"#, status: 422, code: "invalid_field"),
        Case(description: "misspelt inline URL", method: "POST", path: "/v1/events", body: #"{"type":"call.completed","data":{},"webhookUrl":"https://example.com/x"}"#, status: 422, code: "invalid_field"),
        Case(description: "bad occurred_at", method: "POST", path: "/v1/events", body: #"{"type":"call.completed","data":{},"occurred_at":"yesterday"}"#, status: 422, code: "invalid_field"),
        Case(description: "inline URL not a URL", method: "POST", path: "/v1/events", body: #"{"type":"call.completed","data":{},"webhook_url":"not a url"}"#, status: 422, code: "invalid_url"),
        Case(description: "inline URL of another scheme", method: "POST", path: "/v1/events", body: #"{"type":"call.completed","data":{},"webhook_url":"ftp://example.com/x"}"#, status: 422, code: "invalid_url"),
        Case(description: "endpoint URL not a URL", method: "POST", path: "/v1/endpoints", body: #"{"url":"::::"}"#, status: 422, code: "invalid_url"),
        Case(description: "endpoint without URL", method: "POST", path: "/v1/endpoints", body: #"{"description":"x"}"#, status: 422, code: "invalid_field"),
        Case(description: "endpoint subscribing to an unknown type", method: "POST", path: "/v1/endpoints", body: #"{"url":"http://127.0.0.1:9/x","enabled_events":["nope"]}"#, status: 422, code: "unknown_event_type"),
        Case(description: "endpoint with an unknown profile", method: "POST", path: "/v1/endpoints", body: #"{"url":"http://127.0.0.1:9/x","profile":"soap"}"#, status: 422, code: "invalid_field"),
        Case(description: "endpoint with malformed JSON", method: "POST", path: "/v1/endpoints", body: #"{"url":"#, status: 400, code: "malformed_json"),
        Case(description: "endpoint with a body of null", method: "POST", path: "/v1/endpoints", body: "null", status: 400, code: "malformed_json"),
        Case(description: "replay with a body of null", method: "POST", path: "/v1/replays", body: "null", status: 400, code: "malformed_json"),
        Case(description: "unknown route", method: "GET", path: "/v1/nothing-here", body: nil, status: 404, code: "not_found"),
        Case(description: "unknown event", method: "GET", path: "/v1/events/evt_01jv8m2k3q4r5s6t7v8w9x0y1z", body: nil, status: 404, code: "not_found"),
        Case(description: "garbled id", method: "GET", path: "/v1/deliveries/dlv_nope", body: nil, status: 404, code: "not_found"),
        Case(description: "limit out of range", method: "GET", path: "/v1/events?limit=0", body: nil, status: 400, code: "invalid_parameter"),
        Case(description: "garbled cursor", method: "GET", path: "/v1/events?cursor=!!!", body: nil, status: 400, code: "invalid_parameter"),
        Case(
            description: "a window that ends before it starts", method: "GET",
            path: "/v1/deliveries?since=2026-05-10T00:00:00Z&until=2026-05-01T00:00:00Z", body: nil, status: 400, code: "invalid_parameter"
        ),
        Case(description: "bad since", method: "GET", path: "/v1/deliveries?since=monday", body: nil, status: 400, code: "invalid_parameter"),
        Case(description: "unknown status filter", method: "GET", path: "/v1/deliveries?status=lost", body: nil, status: 400, code: "invalid_parameter"),
    ]

    @Test(.timeLimit(.minutes(1)))
    func testEveryBadRequestIsRefusedAndNothingIsWritten() async throws {
        try await withAPIHarness(maxBodyBytes: 4096) { hooklog in
            let key = try await hooklog.createTenant()
            for bad in Self.eventCases {
                let answer = try await hooklog.request(.init(rawValue: bad.method), bad.path, key: key, body: bad.body)
                #expect(answer.status == bad.status, "\(bad)")
                #expect(answer.errorCode == bad.code, "\(bad): \(answer.text)")
                let message = (answer.json["error"] as? [String: Any])?["message"] as? String ?? ""
                #expect(!message.isEmpty, "\(bad)")
            }
            let tooLarge = String(repeating: "x", count: 5000)
            let large = try await hooklog.postEvent(key: key, data: #"{"blob":"\#(tooLarge)"}"#)
            #expect(large.status == 413)
            #expect(large.errorCode == "payload_too_large")

            #expect(try await hooklog.request(.GET, "/v1/events", key: key).items.isEmpty)
            #expect(try await hooklog.request(.GET, "/v1/endpoints", key: key).items.isEmpty)
            #expect(try await hooklog.request(.GET, "/v1/deliveries", key: key).items.isEmpty)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func testKeysAreCheckedOnEveryRoute() async throws {
        try await withAPIHarness { hooklog in
            let key = try await hooklog.createTenant()
            #expect(try await hooklog.request(.GET, "/v1/events").status == 401)
            #expect(try await hooklog.request(.GET, "/v1/events").errorCode == "unauthorized")
            #expect(try await hooklog.request(.GET, "/v1/events", key: "hk_not-a-key").status == 401)
            #expect(try await hooklog.request(.GET, "/v1/events", headers: [("Authorization", "Basic abc")]).status == 401)
            #expect(try await hooklog.request(.POST, "/v1/tenants", body: #"{"name":"x"}"#).status == 401)
            let tenantOnAdmin = try await hooklog.request(.POST, "/v1/tenants", key: key, body: #"{"name":"x"}"#)
            #expect(tenantOnAdmin.status == 403)
            #expect(tenantOnAdmin.errorCode == "forbidden")
            let adminOnTenant = try await hooklog.request(.GET, "/v1/events", key: APIHarness.adminKey)
            #expect(adminOnTenant.status == 403)
            #expect(try await hooklog.request(.POST, "/v1/tenants", key: APIHarness.adminKey, body: #"{"name":""}"#).status == 422)
            // One character of 201 code points is past the 200 that openapi's maxLength counts.
            let marks = String(repeating: "\u{0301}", count: 200)
            #expect(try await hooklog.request(.POST, "/v1/tenants", key: APIHarness.adminKey, body: #"{"name":"e\#(marks)"}"#).status == 422)
            #expect(try await hooklog.request(.GET, "/healthz").status == 200)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func testAMemberThatMustBeAnObjectSaysSo() async throws {
        try await withAPIHarness { hooklog in
            let key = try await hooklog.createTenant()
            let endpoint = try await hooklog.request(.POST, "/v1/endpoints", key: key, body: #"{"url":"http://127.0.0.1:9/x","metadata":[1]}"#)
            #expect(endpoint.status == 422)
            #expect((endpoint.json["error"] as? [String: Any])?["message"] as? String == "metadata must be a JSON object")
            let invoke = try await hooklog.request(.POST, "/v1/invoke", key: key, body: #"{"url":"http://127.0.0.1:9/x","event":"e","params":"x"}"#)
            #expect(invoke.status == 422)
            #expect((invoke.json["error"] as? [String: Any])?["message"] as? String == "params must be a JSON object")

            // A repeated key: the first member passes a decoder that keeps the first, but the last
            // is what would be kept, so the last is what is checked.
            let repeated = try await hooklog.request(.POST, "/v1/endpoints", key: key, body: #"{"url":"http://127.0.0.1:9/x","metadata":{},"metadata":[1]}"#)
            #expect(repeated.status == 422 && repeated.errorCode == "invalid_field")
            #expect((repeated.json["error"] as? [String: Any])?["message"] as? String == "metadata must be a JSON object")
            let repeatedParams = try await hooklog.request(.POST, "/v1/invoke", key: key, body: #"{"url":"http://127.0.0.1:9/x","event":"e","params":{},"params":5}"#)
            #expect(repeatedParams.status == 422 && repeatedParams.errorCode == "invalid_field")
            // A body the decoder takes but the delivery scanner refuses is refused, not kept as {}.
            let leadingZero = try await hooklog.request(.POST, "/v1/endpoints", key: key, body: #"{"url":"http://127.0.0.1:9/x","metadata":{"n":01}}"#)
            #expect(leadingZero.status == 400 && leadingZero.errorCode == "malformed_json")
            #expect(try await hooklog.request(.GET, "/v1/endpoints", key: key).items.isEmpty)

            // A PATCH's repeated metadata is its last member too, whether null or an object.
            let endpointId = try await hooklog.createEndpoint(key: key, path: "/hook").id
            let setLast = try await hooklog.request(.PATCH, "/v1/endpoints/\(endpointId)", key: key, body: #"{"metadata":null,"metadata":{"team":"crm"}}"#)
            #expect((setLast.json["metadata"] as? [String: Any])?["team"] as? String == "crm", "\(setLast.json)")
            let clearedLast = try await hooklog.request(.PATCH, "/v1/endpoints/\(endpointId)", key: key, body: #"{"metadata":{"team":"ops"},"metadata":null}"#)
            #expect(clearedLast.status == 200 && clearedLast.json["metadata"] is NSNull, "\(clearedLast.json)")
        }
    }

    /// A member a request does not take is refused, not ignored: a misspelled one would leave
    /// the request wider than meant (an endpoint subscribed to every event, a PATCH that changes
    /// nothing behind a 200). A PATCH's null clears only what can be cleared.
    @Test(.timeLimit(.minutes(1)))
    func testAnUnknownMemberOrANullThatClearsNothingIsRefused() async throws {
        try await withAPIHarness { hooklog in
            let key = try await hooklog.createTenant()
            let endpoint = try await hooklog.createEndpoint(key: key, path: "/hook").id
            let refused: [(HTTPMethod, String, String, String, String)] = [
                (.POST, "/v1/endpoints", key, #"{"url":"http://127.0.0.1:9/x","enabled_event":["call.completed"]}"#, "\"enabled_event\" is not a member"),
                (.PATCH, "/v1/endpoints/\(endpoint)", key, #"{"enabled":false}"#, "\"enabled\" is not a member"),
                (.PATCH, "/v1/endpoints/\(endpoint)", key, #"{"description":null}"#, "description must not be null"),
                (.PATCH, "/v1/endpoints/\(endpoint)", key, #"{"status":null}"#, "status must not be null"),
                (.POST, "/v1/tenants", APIHarness.adminKey, #"{"nmae":"Callina"}"#, "\"nmae\" is not a member"),
                (.POST, "/v1/invoke", key, #"{"url":"http://127.0.0.1:9/x","event":"e","budget":500}"#, "\"budget\" is not a member"),
                (.POST, "/v1/events", key, #"{"type":"call.completed","data":{},"occured_at":"2026-05-09T14:32:55Z"}"#, "\"occured_at\" is not a member"),
            ]
            for (method, path, caller, body, message) in refused {
                let answer = try await hooklog.request(method, path, key: caller, body: body)
                #expect(answer.status == 422 && answer.errorCode == "invalid_field", "\(body): \(answer.json)")
                let said = (answer.json["error"] as? [String: Any])?["message"] as? String ?? ""
                #expect(said.hasPrefix(message), "\(body): \(said)")
            }
            #expect(try await hooklog.request(.GET, "/v1/endpoints", key: key).items.count == 1)
            let state = try await hooklog.request(.GET, "/v1/endpoints/\(endpoint)", key: key)
            #expect(state.json["status"] as? String == "enabled" && state.json["description"] as? String == "")
            // What can be cleared still is.
            #expect(try await hooklog.request(.PATCH, "/v1/endpoints/\(endpoint)", key: key, body: #"{"bearer_token":null,"metadata":null}"#).status == 200)
        }
    }

    /// A message quotes at most 64 characters of what it refuses: its size never grows with the
    /// request's (a 100 KB event type came back whole).
    @Test(.timeLimit(.minutes(1)))
    func testAMessageQuotesWhatItRefusesShortly() async throws {
        try await withAPIHarness { hooklog in
            let key = try await hooklog.createTenant()
            let long = String(repeating: "x", count: 100_000)
            let answers = [
                try await hooklog.postEvent(key: key, type: long),
                try await hooklog.request(.POST, "/v1/endpoints", key: key, body: #"{"url":"http://127.0.0.1:9/x","enabled_events":["\#(long)"]}"#),
                try await hooklog.request(.POST, "/v1/endpoints", key: key, body: #"{"url":"http://127.0.0.1:9/x","\#(long)":1}"#),
            ]
            for answer in answers {
                let message = (answer.json["error"] as? [String: Any])?["message"] as? String ?? ""
                #expect(answer.status == 422 && message.count < 300 && message.contains("x…\" (100000 bytes)"), "\(answer.status) \(message.prefix(300))")
            }
            // An id in a path no longer than a request line may be is quoted short too.
            let pathId = String(repeating: "x", count: 6_000)
            for path in ["/v1/deliveries/", "/v1/events/", "/v1/endpoints/", "/v1/replays/", "/v1/invocations/"] {
                let answer = try await hooklog.request(.GET, path + pathId, key: key)
                let message = (answer.json["error"] as? [String: Any])?["message"] as? String ?? ""
                #expect(answer.status == 404 && message.count < 200 && message.contains("x…\" (6000 bytes)"), "\(path): \(message.prefix(200))")
            }
        }
    }

    /// A route that takes no body refuses one with members, rather than do what it does anyway:
    /// a `grace_period` sent to rotate_secret would seem heeded while the old secret signs on.
    /// Nothing, or `{}`, is taken.
    @Test(.timeLimit(.minutes(1)))
    func testARouteThatTakesNoBodyRefusesMembersAndTakesAnEmptyObject() async throws {
        try await withAPIHarness { hooklog in
            let tenant = try await hooklog.request(.POST, "/v1/tenants", key: APIHarness.adminKey, body: #"{"name":"Callina"}"#)
            let tenantId = try #require(tenant.json["id"] as? String)
            let key = try #require(tenant.json["api_key"] as? String)
            let endpoint = try await hooklog.createEndpoint(key: key, path: "/hook").id
            let posted = try await hooklog.postEvent(key: key)
            let delivery = try #require((posted.json["deliveries"] as? [[String: Any]])?.first?["id"] as? String)
            _ = try await hooklog.waitFor("/v1/deliveries/\(delivery)", key: key) { $0.json["status"] as? String == "succeeded" }
            let refused: [(HTTPMethod, String, String, String, Int, String)] = [
                (.POST, "/v1/endpoints/\(endpoint)/rotate_secret", key, #"{"grace_period":"0s"}"#, 422, "\"grace_period\" is not a member this request takes (it takes none)"),
                (.POST, "/v1/deliveries/\(delivery)/retry", key, "not json", 400, "the request body is not valid JSON"),
                (.POST, "/v1/tenants/\(tenantId)/rotate_api_key", APIHarness.adminKey, #"{"expire_old_in":"1h"}"#, 422, "\"expire_old_in\" is not a member"),
                (.POST, "/v1/tenants/\(tenantId)/rotate_inline_signing_secret", APIHarness.adminKey, #"{"grace_period":0}"#, 422, "\"grace_period\" is not a member"),
                (.DELETE, "/v1/endpoints/\(endpoint)", key, #"{"cascade":false}"#, 422, "\"cascade\" is not a member"),
            ]
            for (method, path, caller, body, status, message) in refused {
                let answer = try await hooklog.request(method, path, key: caller, body: body)
                let said = (answer.json["error"] as? [String: Any])?["message"] as? String ?? ""
                #expect(answer.status == status && said.hasPrefix(message), "\(path) \(body): \(answer.text)")
            }
            // A key without the right to the route gets its 403, whatever it sent.
            let forbidden = try await hooklog.request(.POST, "/v1/tenants/\(tenantId)/rotate_api_key", key: key, body: #"{"x":1}"#)
            #expect(forbidden.status == 403, "\(forbidden.text)")
            // None of them was done: the key works, the endpoint is there, the delivery is not retried.
            #expect(try await hooklog.request(.GET, "/v1/endpoints/\(endpoint)", key: key).status == 200)
            #expect(try await hooklog.request(.GET, "/v1/deliveries/\(delivery)", key: key).json["status"] as? String == "succeeded")

            #expect(try await hooklog.request(.POST, "/v1/endpoints/\(endpoint)/rotate_secret", key: key, body: " {} ").status == 200)
            #expect(try await hooklog.request(.DELETE, "/v1/endpoints/\(endpoint)", key: key).status == 204)
        }
    }

    /// A query parameter a route does not take, or one given twice, is refused: ignored, a
    /// misspelled filter would answer unfiltered, and a repeated one by its first value only.
    @Test(.timeLimit(.minutes(1)))
    func testAnUnknownOrRepeatedQueryParameterIsRefused() async throws {
        try await withAPIHarness { hooklog in
            let key = try await hooklog.createTenant()
            let since = "2026-01-01T00:00:00Z"
            let refused: [(String, String)] = [
                ("/v1/deliveries?statuss=failed", "statuss is not a parameter of this route"),
                ("/v1/deliveries?status=failed&status=succeeded", "status is given more than once"),
                ("/v1/events?limit=10&limit=100", "limit is given more than once"),
                ("/v1/events?limit=+5", "limit must be a whole number"),
                ("/v1/events?type=", "type must name an event type"),
                ("/v1/endpoints?since=\(since)", "since is not a parameter of this route"),
                ("/v1/export?sinse=\(since)", "sinse is not a parameter of this route"),
            ]
            for (path, message) in refused {
                let answer = try await hooklog.request(.GET, path, key: key)
                #expect(answer.status == 400 && answer.errorCode == "invalid_parameter", "\(path): \(answer.json)")
                let said = (answer.json["error"] as? [String: Any])?["message"] as? String ?? ""
                #expect(said.hasPrefix(message), "\(path): \(said)")
            }
            for path in ["/v1/deliveries?status=failed&since=\(since)", "/v1/events?type=call.completed&limit=5", "/v1/endpoints?limit=5", "/v1/export?since=\(since)&format=csv"] {
                #expect(try await hooklog.request(.GET, path, key: key).status == 200, "\(path)")
            }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func testTheBearerSchemeIsReadInAnyCaseAndTheKeyExactly() async throws {
        try await withAPIHarness { hooklog in
            let key = try await hooklog.createTenant()
            for scheme in ["Bearer", "bearer", "BEARER", "bEaReR", "Bearer ", " Bearer  "] {
                let answer = try await hooklog.request(.GET, "/v1/events", headers: [("Authorization", "\(scheme) \(key)")])
                #expect(answer.status == 200, "\(scheme)")
            }
            for header in ["Bearer", "Bearer ", "Bearer   ", "Bearer \(key)x", "Bearer x\(key)", "Bearerx \(key)", "Beare \(key)", "Basic \(key)", "\(key)"] {
                let answer = try await hooklog.request(.GET, "/v1/events", headers: [("Authorization", header)])
                #expect(answer.status == 401, "\(header)")
                #expect(answer.errorCode == "unauthorized", "\(header)")
            }
        }
    }

    /// Lengths are counted as the schema's `maxLength` counts them, in characters (Unicode
    /// scalars), not in UTF-8 bytes: 1000 three-byte characters are a description within its
    /// 1000, and 1001 are not.
    @Test(.timeLimit(.minutes(1)))
    func testLengthLimitsCountCharactersAsTheSchemaSays() async throws {
        try await withAPIHarness { hooklog in
            let key = try await hooklog.createTenant()
            let url = hooklog.receiver.baseURL + "/hook"
            let atLimit = String(repeating: "語", count: 1_000)
            let created = try await hooklog.request(.POST, "/v1/endpoints", key: key, body: #"{"url":"\#(url)","description":"\#(atLimit)"}"#)
            #expect(created.status == 201, "\(created.text)")
            #expect(created.json["description"] as? String == atLimit)
            let over = try await hooklog.request(.POST, "/v1/endpoints", key: key, body: #"{"url":"\#(url)","description":"\#(atLimit)語"}"#)
            #expect(over.status == 422 && over.errorCode == "invalid_field")
            #expect((over.json["error"] as? [String: Any])?["message"] as? String == "description must be at most 1000 characters")

            let event = String(repeating: "é", count: 256)
            let invoked = try await hooklog.request(.POST, "/v1/invoke", key: key, body: #"{"url":"\#(url)","event":"\#(event)","call_id":"c1","budget_ms":2000}"#)
            #expect(invoked.status == 200, "\(invoked.text)")
            let longer = try await hooklog.request(.POST, "/v1/invoke", key: key, body: #"{"url":"\#(url)","event":"\#(event)é","call_id":"c1","budget_ms":2000}"#)
            #expect(longer.status == 422 && longer.errorCode == "invalid_field")
        }
    }

    /// A route asked with a method it does not take is a 405 naming those it takes (`Allow`);
    /// a path no route has stays a 404.
    @Test(.timeLimit(.minutes(1)))
    func testAMethodARouteDoesNotTakeIsA405WithAllow() async throws {
        try await withAPIHarness { hooklog in
            let key = try await hooklog.createTenant()
            let events = try await hooklog.request(.DELETE, "/v1/events", key: key)
            #expect(events.status == 405 && events.errorCode == "method_not_allowed")
            #expect(events.headers["allow"] == "GET, HEAD, POST")
            #expect((events.json["error"] as? [String: Any])?["message"] as? String == "this route takes GET, HEAD, POST, not DELETE")
            let endpoint = try await hooklog.request(.PUT, "/v1/endpoints/ep_01jv8m2k3q4r5s6t7v8w9x0y1z", key: key, body: "{}")
            #expect(endpoint.status == 405 && endpoint.headers["allow"] == "DELETE, GET, HEAD, PATCH", "\(endpoint.headers)")
            let nowhere = try await hooklog.request(.DELETE, "/v1/nothing-here", key: key)
            #expect(nowhere.status == 404 && nowhere.errorCode == "not_found")
            #expect(nowhere.headers["allow"] == nil)
        }
    }

    /// Every GET route answers HEAD as it answers GET (status, headers, the same checks), with
    /// no body (RFC 9110 §9.3.2).
    @Test(.timeLimit(.minutes(1)))
    func testAGetRouteAnswersHeadWithoutABody() async throws {
        try await withAPIHarness { hooklog in
            let key = try await hooklog.createTenant()
            let health = try await hooklog.request(.HEAD, "/healthz")
            #expect(health.status == 200 && health.body.isEmpty, "\(health.status)")
            let listed = try await hooklog.request(.HEAD, "/v1/endpoints", key: key)
            #expect(listed.status == 200 && listed.body.isEmpty && listed.headers["content-type"] == "application/json", "\(listed.headers)")
            #expect(try await hooklog.request(.HEAD, "/v1/endpoints").status == 401, "a HEAD is checked as its GET is")
            #expect(try await hooklog.request(.HEAD, "/v1/events/evt_01jv8m2k3q4r5s6t7v8w9x0y1z", key: key).status == 404)
            #expect(try await hooklog.request(.HEAD, "/v1/replays", key: key).status == 405, "a POST-only route")
        }
    }
}
