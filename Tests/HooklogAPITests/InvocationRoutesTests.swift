import Foundation
import HooklogCore
import HooklogDelivery
import HooklogTestSupport
import NIOHTTP1
import Testing

@Suite("Mid-call invocation over HTTP: /v1/invoke and /v1/invocations", .timeLimit(.minutes(1)))
struct InvocationRoutesTests {
    static let answerJSON = #"{"say": "Order ORD-12345 was shipped yesterday.","next_action":"continue","n":2.50,"x":[1, null]}"#
    static let waitingMessage = "Einen Moment bitte, ich prüfe das für Sie."

    /// The receiver's behaviour, by path.
    static let script: TestReceiver.Script = { request in
        switch request.path {
        case "/slow": .delayed(milliseconds: 2_000, .status(200, body: #"{"say":"late"}"#))
        case "/flaky": request.countOnPath == 1 ? .status(500) : .status(200, body: #"{"ok":true}"#)
        case "/misconfigured": .status(400, body: #"{"error":"bad"}"#)
        case "/text": .status(200, body: "plain words")
        case "/latin1": .bytes(200, body: Array(#"{"say":"Gr"#.utf8) + [0xFC] + Array(#"ße"}"#.utf8))
        default: .status(200, body: Self.answerJSON)
        }
    }

    private static func invokeBody(url: String, budgetMs: Int = 2_500) -> String {
        #"{"url":"\#(url)","event":"order-status","call_id":"sess_42","params":{"orderId":"12345"},"budget_ms":\#(budgetMs),"waiting_message":"\#(Self.waitingMessage)"}"#
    }

    @Test func testFastEndpointsJSONComesBackVerbatim() async throws {
        try await withAPIHarness(script: Self.script) { hooklog in
            let key = try await hooklog.createTenant()
            let answer = try await hooklog.request(.POST, "/v1/invoke", key: key, body: Self.invokeBody(url: hooklog.receiver.baseURL + "/fast"))
            #expect(answer.status == 200)
            #expect(answer.json["status"] as? String == "completed")
            #expect(answer.json["latency_ms"] is Int)
            #expect((answer.json["invocation_id"] as? String)?.isEmpty == false)
            let text = answer.text
            #expect(text.contains(#""response":"# + Self.answerJSON + ","), "the endpoint's bytes must be spliced in: \(text)")

            let plain = try await hooklog.request(.POST, "/v1/invoke", key: key, body: Self.invokeBody(url: hooklog.receiver.baseURL + "/text"))
            #expect(plain.json["status"] as? String == "completed")
            #expect(plain.json["response"] as? String == "plain words")
        }
    }

    /// JSON-shaped bytes that are not UTF-8 are not spliced in (the answer would not be JSON):
    /// they come back as a string, the bad byte replaced.
    @Test func testAnAnswerThatIsNotUTF8ComesBackAsAStringInValidJSON() async throws {
        try await withAPIHarness(script: Self.script) { hooklog in
            let key = try await hooklog.createTenant()
            let answer = try await hooklog.request(.POST, "/v1/invoke", key: key, body: Self.invokeBody(url: hooklog.receiver.baseURL + "/latin1"))
            #expect(answer.status == 200)
            #expect(String(validating: answer.body, as: UTF8.self) != nil)
            #expect(answer.json["status"] as? String == "completed")
            #expect(answer.json["response"] as? String == "{\"say\":\"Gr\u{FFFD}ße\"}")
            let id = try #require(answer.json["invocation_id"] as? String)
            let again = try await hooklog.request(.GET, "/v1/invocations/\(id)", key: key)
            #expect(again.json["response"] as? String == "{\"say\":\"Gr\u{FFFD}ße\"}")
        }
    }

    /// A profile that signs, asked for without a secret (a bare URL has none), is refused with
    /// 422 before anything is sent.
    @Test func testAProfileTheRequestCannotBeSentUnderIsRefused() async throws {
        try await withAPIHarness(script: Self.script) { hooklog in
            let key = try await hooklog.createTenant()
            let body = #"{"url":"\#(hooklog.receiver.baseURL)/fast","event":"order-status","profile":"standard"}"#
            let refused = try await hooklog.request(.POST, "/v1/invoke", key: key, body: body)
            #expect(refused.status == 422)
            #expect(refused.errorCode == "invalid_field")
            #expect(hooklog.receiver.requests(on: "/fast").isEmpty)
        }
    }

    /// A stop answers a long poll at once, as things stand, rather than wait out its `wait`.
    @Test func testALongPollIsAnsweredWhenTheServiceStops() async throws {
        let hooklog = try await APIHarness.start(script: { _ in .delayed(milliseconds: 5_000, .status(200, body: "{}")) })
        let key = try await hooklog.createTenant()
        let answer = try await hooklog.request(.POST, "/v1/invoke", key: key, body: Self.invokeBody(url: hooklog.receiver.baseURL + "/slow", budgetMs: 100))
        let id = try #require(answer.json["invocation_id"] as? String)
        let poll = Task { try await hooklog.request(.GET, "/v1/invocations/\(id)?wait=20s", key: key) }
        try await Task.sleep(for: .milliseconds(500))  // for the poll to be waiting (the call takes 5 s)
        let stoppedAt = ContinuousClock.now
        let stopping = Task { await hooklog.stop() }
        let polled = try await poll.value
        let answeredAfter = stoppedAt.duration(to: .now)
        #expect(polled.status == 200)
        #expect(polled.json["status"] as? String == "pending")
        #expect(answeredAfter < .milliseconds(2_500), "the poll held the stop up for \(answeredAfter)")
        await stopping.value
    }

    @Test func testSlowEndpointGetsTheWaitingMessageOnTimeAndTheLateAnswerLater() async throws {
        try await withAPIHarness(script: Self.script) { hooklog in
            let key = try await hooklog.createTenant()
            let sentAt = ContinuousClock.now
            let answer = try await hooklog.request(.POST, "/v1/invoke", key: key, body: Self.invokeBody(url: hooklog.receiver.baseURL + "/slow", budgetMs: 500))
            let answeredAfter = sentAt.duration(to: .now)
            #expect(answeredAfter < .milliseconds(1_500), "answered after \(answeredAfter)")
            #expect(answer.json["status"] as? String == "pending")
            #expect(answer.json["say"] as? String == Self.waitingMessage)
            let id = try #require(answer.json["invocation_id"] as? String)
            let stillPending = try await hooklog.request(.GET, "/v1/invocations/\(id)", key: key)
            #expect(stillPending.json["status"] as? String == "pending")
            #expect(stillPending.json["say"] as? String == Self.waitingMessage, "read back, it says its own waiting message again")

            let late = try await hooklog.request(.GET, "/v1/invocations/\(id)?wait=5s", key: key)
            #expect(late.status == 200)
            #expect(late.json["status"] as? String == "completed")
            #expect(late.text.contains(#""response":{"say":"late"}"#))
            // Journaled: read again, from the store, the same answer.
            let again = try await hooklog.request(.GET, "/v1/invocations/\(id)", key: key)
            #expect(again.json["status"] as? String == "completed")
            #expect(hooklog.receiver.requests(on: "/slow").count == 1)
        }
    }

    /// Without its own waiting message, a pending answer says the generic hold message (the
    /// seeds' "I'm checking that for you, please hold"), read back too; a wait past 30 s is refused.
    @Test func testWithoutAWaitingMessagePendingSaysTheGenericHoldAndTooLongAWaitIsRefused() async throws {
        try await withAPIHarness(script: Self.script) { hooklog in
            let key = try await hooklog.createTenant()
            let url = hooklog.receiver.baseURL + "/slow"
            let body = #"{"url":"\#(url)","event":"order-status","budget_ms":100}"#
            let answer = try await hooklog.request(.POST, "/v1/invoke", key: key, body: body)
            #expect(answer.json["status"] as? String == "pending")
            #expect(answer.json["say"] as? String == MidCallConfiguration().waitingSay)
            let id = try #require(answer.json["invocation_id"] as? String)
            let read = try await hooklog.request(.GET, "/v1/invocations/\(id)", key: key)
            #expect(read.json["status"] as? String == "pending", "the call takes 2 s")
            #expect(read.json["say"] as? String == MidCallConfiguration().waitingSay)
            // The default, 0, written out: no wait.
            #expect(try await hooklog.request(.GET, "/v1/invocations/\(id)?wait=0", key: key).json["status"] as? String == "pending")
            let tooLong = try await hooklog.request(.GET, "/v1/invocations/\(id)?wait=31s", key: key)
            #expect(tooLong.status == 400)
            #expect(tooLong.errorCode == "invalid_parameter")
            #expect(try await hooklog.request(.GET, "/v1/invocations/\(id)?wait=30s", key: key).json["status"] as? String == "completed")
        }
    }

    /// The second seed's escalation carries where to: with a transfer number configured, a
    /// failed answer says it (`transfer_to`); a voicemail fallback does not.
    @Test func testAFailedAnswerTellsWhereATransferGoesWhenConfigured() async throws {
        let transferring = try await APIHarness.start(
            midCall: MidCallConfiguration(fallbackTransferTo: "+43662275124"), script: Self.script
        )
        let key = try await transferring.createTenant()
        let failed = try await transferring.request(.POST, "/v1/invoke", key: key, body: Self.invokeBody(url: transferring.receiver.baseURL + "/misconfigured"))
        #expect(failed.json["next_action"] as? String == "transfer")
        #expect(failed.json["transfer_to"] as? String == "+43662275124")
        await transferring.stop()

        let voicemail = try await APIHarness.start(
            midCall: MidCallConfiguration(fallbackNextAction: "voicemail", fallbackTransferTo: "+43662275124"), script: Self.script
        )
        let otherKey = try await voicemail.createTenant()
        let toVoicemail = try await voicemail.request(.POST, "/v1/invoke", key: otherKey, body: Self.invokeBody(url: voicemail.receiver.baseURL + "/misconfigured"))
        #expect(toVoicemail.json["next_action"] as? String == "voicemail")
        #expect(toVoicemail.json["transfer_to"] == nil)
        await voicemail.stop()
    }

    @Test func testServerErrorThenSuccessCompletesAfterExactlyTwoRequests() async throws {
        try await withAPIHarness(script: Self.script) { hooklog in
            let key = try await hooklog.createTenant()
            let answer = try await hooklog.request(.POST, "/v1/invoke", key: key, body: Self.invokeBody(url: hooklog.receiver.baseURL + "/flaky"))
            #expect(answer.json["status"] as? String == "completed")
            #expect((answer.json["response"] as? [String: Any])?["ok"] as? Bool == true)
            try await Task.sleep(for: .milliseconds(200))
            #expect(hooklog.receiver.requests(on: "/flaky").count == 2)
        }
    }

    /// A tool server that is down (its port refuses connections) fails with the fallback within
    /// the budget, tried twice, rather than leaving the caller waiting past it.
    @Test func aToolServerRefusingConnectionsFailsWithTheFallbackWithinTheBudget() async throws {
        let down = try await TestReceiver.start()
        let url = down.baseURL + "/tool"
        await down.stop()
        try await withAPIHarness(script: Self.script) { hooklog in
            let key = try await hooklog.createTenant()
            let answer = try await hooklog.request(.POST, "/v1/invoke", key: key, body: Self.invokeBody(url: url, budgetMs: 2_500))
            #expect(answer.status == 200 && answer.json["status"] as? String == "failed", "\(answer.text)")
            #expect(answer.json["say"] as? String == MidCallConfiguration().fallbackSay)
            #expect(answer.json["error"] as? String == "connection" && answer.json["status_code"] is NSNull, "\(answer.text)")
        }
    }

    @Test func testClientErrorIsNotRetriedAndFailsWithTheFallback() async throws {
        try await withAPIHarness(script: Self.script) { hooklog in
            let key = try await hooklog.createTenant()
            let answer = try await hooklog.request(.POST, "/v1/invoke", key: key, body: Self.invokeBody(url: hooklog.receiver.baseURL + "/misconfigured"))
            #expect(answer.status == 200)
            #expect(answer.json["status"] as? String == "failed")
            #expect(answer.json["say"] as? String == MidCallConfiguration().fallbackSay)
            #expect(answer.json["next_action"] as? String == "transfer")
            #expect(answer.json["transfer_to"] == nil, "none configured")
            #expect(answer.json["response"] == nil)
            #expect(answer.json["status_code"] as? Int == 400 && answer.json["error"] is NSNull, "\(answer.text)")
            try await Task.sleep(for: .milliseconds(200))
            #expect(hooklog.receiver.requests(on: "/misconfigured").count == 1)
            let id = try #require(answer.json["invocation_id"] as? String)
            let read = try await hooklog.request(.GET, "/v1/invocations/\(id)", key: key)
            #expect(read.json["status"] as? String == "failed" && read.json["status_code"] as? Int == 400, "\(read.text)")
        }
    }

    /// An endpoint of a mid-call profile answers calls; it takes no events, which would reach the
    /// tool dressed as calls (and a 410 to one would disable it for the calls it serves).
    @Test func anEndpointOfAMidCallProfileTakesNoEvents() async throws {
        try await withAPIHarness(script: Self.script) { hooklog in
            let key = try await hooklog.createTenant()
            let tool = try await hooklog.createEndpoint(key: key, path: "/tool", profile: "callina-midcall")
            let created = try await hooklog.request(.GET, "/v1/endpoints/\(tool.id)", key: key)
            #expect(created.json["enabled_events"] as? [String] == [])
            let subscribed = try await hooklog.request(
                .POST, "/v1/endpoints", key: key,
                body: #"{"url":"\#(hooklog.receiver.baseURL)/tool","profile":"callina-midcall","enabled_events":["*"]}"#
            )
            #expect(subscribed.status == 422 && subscribed.errorCode == "invalid_field", "\(subscribed.text)")
            #expect(subscribed.text.contains("mid-call"), "\(subscribed.text)")

            let posted = try await hooklog.postEvent(key: key)
            #expect(posted.status == 202 && (posted.json["deliveries"] as? [Any])?.isEmpty == true, "\(posted.text)")
            let answer = try await hooklog.request(.POST, "/v1/invoke", key: key, body: #"{"endpoint_id":"\#(tool.id)","event":"order-status"}"#)
            #expect(answer.json["status"] as? String == "completed")
            #expect(hooklog.receiver.requests(on: "/tool").count == 1)

            // A change to its events is judged with its profile, and a change of profile with its events.
            let events = try await hooklog.request(.PATCH, "/v1/endpoints/\(tool.id)", key: key, body: #"{"enabled_events":["call.completed"]}"#)
            #expect(events.status == 422 && events.text.contains("mid-call"), "\(events.text)")
            let unsubscribed = try await hooklog.request(.PATCH, "/v1/endpoints/\(tool.id)", key: key, body: #"{"profile":"callina"}"#)
            #expect(unsubscribed.status == 422 && unsubscribed.text.contains("at least one type") && unsubscribed.text.contains("(the callina profile delivers events)"), "\(unsubscribed.text)")
            let delivery = try await hooklog.request(.PATCH, "/v1/endpoints/\(tool.id)", key: key, body: #"{"profile":"callina","enabled_events":["*"]}"#)
            #expect(delivery.status == 200 && delivery.json["enabled_events"] as? [String] == ["*"], "\(delivery.text)")
            let back = try await hooklog.request(.PATCH, "/v1/endpoints/\(tool.id)", key: key, body: #"{"profile":"callina-midcall"}"#)
            #expect(back.status == 422 && back.text.contains("mid-call"), "\(back.text)")
        }
    }

    @Test func testAnEndpointsInvocationIsSignedAsTheSeedDescribes() async throws {
        try await withAPIHarness(script: Self.script) { hooklog in
            let key = try await hooklog.createTenant()
            let endpoint = try await hooklog.createEndpoint(key: key, path: "/signed", profile: "callina-midcall")
            let body = #"{"endpoint_id":"\#(endpoint.id)","event":"order-status","call_id":"sess_42","params":{"orderId":"12345"},"metadata":{"fromNumber":"+43660123456789","toNumber":"+43662275123"}}"#
            let answer = try await hooklog.request(.POST, "/v1/invoke", key: key, body: body)
            #expect(answer.json["status"] as? String == "completed")
            let request = try #require(hooklog.receiver.requests(on: "/signed").first)
            #expect(CallinaMidcallVerifier.verify(
                secret: endpoint.secret, headers: request.headers, body: request.body, nowSeconds: Int64(Date().timeIntervalSince1970)
            ))
            let sent = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
            #expect(sent["sessionId"] as? String == "sess_42")
            #expect(sent["fromNumber"] as? String == "+43660123456789")
            let args = try #require(sent["args"] as? [String: Any])
            #expect(args["purpose"] as? String == "order-status")
            #expect((args["payload"] as? [String: Any])?["orderId"] as? String == "12345")
        }
    }

    @Test func testBadInputIsRefusedWith422AndTheErrorShape() async throws {
        try await withAPIHarness(script: Self.script) { hooklog in
            let key = try await hooklog.createTenant()
            let url = hooklog.receiver.baseURL + "/fast"
            let bodies = [
                #"{"endpoint_id":"ep_00000000000000000000000000","url":"\#(url)","event":"order-status"}"#,
                #"{"event":"order-status"}"#,
                #"{"url":"\#(url)","event":"order-status","budget_ms":10}"#,
                #"{"url":"\#(url)","event":"order-status","budget_ms":40000}"#,
                #"{"url":"\#(url)","event":""}"#,
                #"{"url":"\#(url)","event":"order-status","profile":"nonesuch"}"#,
                // Numbers an integer cannot hold: a 422 like any other value of the wrong kind.
                #"{"url":"\#(url)","event":"order-status","budget_ms":2500.5}"#,
                #"{"url":"\#(url)","event":"order-status","budget_ms":99999999999999999999999}"#,
                #"{"url":"\#(url)","event":"order-status","call_id":"a\tb"}"#,
            ]
            for body in bodies {
                let answer = try await hooklog.request(.POST, "/v1/invoke", key: key, body: body)
                #expect(answer.status == 422, "\(body)")
                let error = answer.json["error"] as? [String: Any]
                #expect(error?["code"] is String && error?["message"] is String, "\(body)")
            }
            #expect(hooklog.receiver.requests().isEmpty)
        }
    }

    @Test func testAPrivateURLIsRefusedUnlessAllowed() async throws {
        try await withAPIHarness(allowsPrivateURLs: false, script: Self.script) { hooklog in
            let key = try await hooklog.createTenant()
            let answer = try await hooklog.request(.POST, "/v1/invoke", key: key, body: Self.invokeBody(url: hooklog.receiver.baseURL + "/fast"))
            #expect(answer.status == 422)
            #expect(answer.errorCode == "invalid_url")
            let literal = try await hooklog.request(.POST, "/v1/invoke", key: key, body: Self.invokeBody(url: "https://10.0.0.1/fast"))
            #expect(literal.status == 422, "a private address literal is judged without a lookup")
            #expect(literal.errorCode == "invalid_url")
        }
    }

    @Test func testAnotherTenantsInvocationAndEndpointAreNotFound() async throws {
        try await withAPIHarness(script: Self.script) { hooklog in
            let owner = try await hooklog.createTenant("Owner")
            let other = try await hooklog.createTenant("Other")
            let endpoint = try await hooklog.createEndpoint(key: owner, path: "/owner", profile: "callina-midcall")
            let answer = try await hooklog.request(.POST, "/v1/invoke", key: owner, body: #"{"endpoint_id":"\#(endpoint.id)","event":"order-status"}"#)
            let id = try #require(answer.json["invocation_id"] as? String)

            let read = try await hooklog.request(.GET, "/v1/invocations/\(id)", key: other)
            #expect(read.status == 404)
            #expect(read.errorCode == "not_found")
            let borrowed = try await hooklog.request(.POST, "/v1/invoke", key: other, body: #"{"endpoint_id":"\#(endpoint.id)","event":"order-status"}"#)
            #expect(borrowed.status == 404)
            let unknown = try await hooklog.request(.GET, "/v1/invocations/inv_00000000000000000000000000", key: owner)
            #expect(unknown.status == 404)
            #expect(hooklog.receiver.requests(on: "/owner").count == 1)
        }
    }
}
