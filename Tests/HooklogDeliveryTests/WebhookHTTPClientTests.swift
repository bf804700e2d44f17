import HooklogCore
import HooklogDelivery
import HooklogTestSupport
import Testing

@Suite("Webhook HTTP client")
struct WebhookHTTPClientTests {
    @Test func answerIsReportedWithStatusLatencyAndABoundedExcerpt() async throws {
        let longBody = String(repeating: "x", count: 5_000)
        let receiver = try await TestReceiver.start { request in
            request.path == "/long" ? .status(201, body: longBody) : .status(200, body: "{\"ok\":true}")
        }
        let client = WebhookHTTPClient()
        let body = Array("{\"type\":\"call.completed\"}".utf8)
        let headers = [WireHeader(name: "webhook-id", value: "evt_1")]
        let short = await client.send(OutboundRequest(url: receiver.baseURL + "/hook", headers: headers, body: body, timeoutMs: 2_000))
        #expect(short.statusCode == 200 && short.errorKind == nil)
        #expect(short.responseExcerpt == Array("{\"ok\":true}".utf8))
        let long = await client.send(OutboundRequest(url: receiver.baseURL + "/long", headers: [], body: body, timeoutMs: 2_000))
        #expect(long.statusCode == 201 && long.responseExcerpt.count == AttemptResponse.excerptLimitBytes)
        let received = try #require(receiver.requests(on: "/hook").first)
        #expect(received.body == body)
        #expect(received.header("webhook-id") == "evt_1")
        try await client.shutdown()
        await receiver.stop()
    }

    @Test func hugeAnswerIsCutShortWithItsStatusAndExcerptKept() async throws {
        let hugeBody = String(repeating: "y", count: 3 << 20)
        let receiver = try await TestReceiver.start { _ in .status(202, body: hugeBody) }
        let client = WebhookHTTPClient()
        let response = await client.send(OutboundRequest(url: receiver.baseURL + "/huge", headers: [], body: [], timeoutMs: 5_000))
        #expect(response.statusCode == 202 && response.errorKind == nil)
        #expect(response.responseExcerpt == Array(repeating: UInt8(ascii: "y"), count: AttemptResponse.excerptLimitBytes))
        try await client.shutdown()
        await receiver.stop()
    }

    @Test func endpointThatNeverAnswersIsATimeout() async throws {
        let receiver = try await TestReceiver.start { _ in .hang }
        let client = WebhookHTTPClient()
        let response = await client.send(OutboundRequest(url: receiver.baseURL + "/slow", headers: [], body: [], timeoutMs: 200))
        #expect(response.statusCode == nil)
        #expect(response.errorKind == .timeout)
        #expect(response.latencyMs >= 200 && response.latencyMs < 2_000)
        try await client.shutdown()
        await receiver.stop()
    }

    /// The status came, then the body stalled past the deadline: the status is the answer (the
    /// endpoint took the event), and the cut-off is told beside it.
    @Test func aStatusWhoseBodyStallsIsTheStatusWithTheCutOffBesideIt() async throws {
        let receiver = try await TestReceiver.start { _ in .stallAfterHead(200, bodyStart: #"{"received":"#) }
        let client = WebhookHTTPClient()
        let response = await client.send(OutboundRequest(url: receiver.baseURL + "/stalls", headers: [], body: [], timeoutMs: 300))
        #expect(response.statusCode == 200 && response.errorKind == nil)
        #expect(response.bodyCutOffBy == .timeout)
        #expect(response.outcome == .status(200))
        #expect(response.responseExcerpt == Array(#"{"received":"#.utf8))
        #expect(response.latencyMs >= 300)
        try await client.shutdown()
        await receiver.stop()
    }

    @Test func aSendCutOffByCancellationIsInterruptedNotTheEndpointsFault() async throws {
        let receiver = try await TestReceiver.start { _ in .hang }
        let client = WebhookHTTPClient()
        let sending = Task { await client.send(OutboundRequest(url: receiver.baseURL + "/slow", headers: [], body: [], timeoutMs: 30_000)) }
        try await Task.sleep(for: .milliseconds(200))
        sending.cancel()
        let response = await sending.value
        #expect(response.statusCode == nil)
        #expect(response.errorKind == .interrupted)
        #expect(response.latencyMs < 10_000)
        try await client.shutdown()
        await receiver.stop()
    }

    @Test func closedPortIsAConnectionError() async throws {
        let receiver = try await TestReceiver.start()
        let url = receiver.baseURL + "/gone"
        await receiver.stop()
        let client = WebhookHTTPClient()
        let response = await client.send(OutboundRequest(url: url, headers: [], body: [], timeoutMs: 2_000))
        #expect(response.statusCode == nil)
        #expect(response.errorKind == .connection)
        try await client.shutdown()
    }

    @Test func redirectsAreNotFollowed() async throws {
        let receiver = try await TestReceiver.start { request in
            request.path == "/moved" ? .status(302) : .status(200)
        }
        let client = WebhookHTTPClient()
        let response = await client.send(OutboundRequest(url: receiver.baseURL + "/moved", headers: [], body: [], timeoutMs: 2_000))
        #expect(response.statusCode == 302)
        #expect(receiver.requests().count == 1)
        try await client.shutdown()
        await receiver.stop()
    }
}
