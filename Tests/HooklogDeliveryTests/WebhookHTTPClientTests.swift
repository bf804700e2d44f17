import Foundation
import Glibc
import HooklogCore
@testable import HooklogDelivery
import HooklogTestSupport
import Synchronization
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

    @Test func everyRequestNamesItselfAndAProfilesOwnUserAgentWins() async throws {
        let receiver = try await TestReceiver.start { _ in .status(200) }
        let client = WebhookHTTPClient()
        _ = await client.send(OutboundRequest(url: receiver.baseURL + "/plain", headers: [], body: [], timeoutMs: 2_000))
        let own = [WireHeader(name: "user-agent", value: "Platform-Hooks/2")]
        _ = await client.send(OutboundRequest(url: receiver.baseURL + "/own", headers: own, body: [], timeoutMs: 2_000))
        let plain = try #require(receiver.requests(on: "/plain").first)
        #expect(plain.header("user-agent") == WebhookHTTPClient.userAgent)
        let named = try #require(receiver.requests(on: "/own").first)
        #expect(named.header("user-agent") == "Platform-Hooks/2")
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
        let response = await client.send(OutboundRequest(url: receiver.baseURL + "/stalls", headers: [], body: [], timeoutMs: 1_500))
        #expect(response.statusCode == 200 && response.errorKind == nil)
        #expect(response.bodyCutOffBy == .timeout)
        #expect(response.outcome == .status(200))
        #expect(response.responseExcerpt == Array(#"{"received":"#.utf8))
        #expect(response.latencyMs >= 1_500)
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

    /// A refused connection is the attempt's answer at once, pinned or not: the retry schedule
    /// tries again, and the attempt does not hold its slot (nor a mid-call caller its budget)
    /// until the connect timeout, trying meanwhile, only to report a timeout it never met.
    @Test func closedPortIsAConnectionErrorAtOnce() async throws {
        let receiver = try await TestReceiver.start()
        let url = receiver.baseURL + "/gone"
        let port = try #require(receiver.baseURL.split(separator: ":").last.map(String.init))
        await receiver.stop()
        let client = WebhookHTTPClient(connectTimeoutMs: 20_000)
        let pin = ConnectionPin(host: "hooks.closed.test", addresses: ["127.0.0.1"])
        for request in [
            OutboundRequest(url: url, headers: [], body: [], timeoutMs: 30_000),
            OutboundRequest(url: "http://hooks.closed.test:\(port)/gone", headers: [], body: [], timeoutMs: 30_000, pin: pin),
        ] {
            let response = await client.send(request)
            #expect(response.statusCode == nil && response.errorKind == .connection, "\(response)")
            #expect(response.errorMessage?.contains("refused") == true, "\(response)")
            // Not after trying again until the connect timeout (a refusal takes a millisecond or so).
            #expect(response.latencyMs < 20_000, "\(response)")
        }
        try await client.shutdown()
    }

    /// An endpoint that takes the connection and never answers the TLS handshake is a connect
    /// that timed out (the connect timeout covers the handshake), before anything was sent.
    @Test func aTLSHandshakeThatNeverCompletesIsAConnectTimeout() async throws {
        let listener = try ClosingServer(accepts: false)
        let client = WebhookHTTPClient(connectTimeoutMs: 300)
        let request = OutboundRequest(url: "https://127.0.0.1:\(listener.port)/hook", headers: [], body: Array("{}".utf8), timeoutMs: 2_000)
        let response = await client.send(request)
        #expect(response.statusCode == nil && response.errorKind == .connection, "\(response)")
        #expect(response.errorMessage == "connecting timed out", "\(response)")
        try await client.shutdown()
        listener.stop()
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

    /// A pinned request connects to its pin's address, not to wherever its name resolves when
    /// the client connects: `.test` names never resolve (RFC 6761), so only the pin reaches the
    /// receiver. The name stays the request's `Host`.
    @Test func aPinnedRequestConnectsToItsAddressAndNotWhereItsNameResolves() async throws {
        let receiver = try await TestReceiver.start()
        let port = try #require(receiver.baseURL.split(separator: ":").last.map(String.init))
        let url = "http://hooks.rebinding.test:\(port)/pinned"
        let pin = ConnectionPin(host: "hooks.rebinding.test", addresses: ["127.0.0.1"])
        let client = WebhookHTTPClient()
        let unpinned = await client.send(OutboundRequest(url: url, headers: [], body: [], timeoutMs: 2_000))
        // Refused by the resolver, or still unanswered when the deadline comes (a resolver that
        // drops the query): either way the name alone leads nowhere.
        #expect(unpinned.statusCode == nil && [.connection, .timeout].contains(unpinned.errorKind), "\(unpinned)")
        for _ in 0..<2 {
            let pinned = await client.send(OutboundRequest(url: url, headers: [], body: [], timeoutMs: 2_000, pin: pin))
            #expect(pinned.statusCode == 200, "\(pinned)")
        }
        // A URL on another host than the pin's would be looked up by the client: not sent.
        let elsewhere = await client.send(OutboundRequest(url: "http://other.rebinding.test:\(port)/pinned", headers: [], body: [], timeoutMs: 2_000, pin: pin))
        #expect(elsewhere.errorKind == .refused, "\(elsewhere)")
        let received = receiver.requests(on: "/pinned")
        #expect(received.count == 2 && received.allSatisfy { $0.header("host") == "hooks.rebinding.test:\(port)" })
        #expect(client.pinnedClientCount == 1, "one client per host and address, kept between requests")

        // An address nothing listens on is passed over for the next one, within the one request.
        let fallingThrough = ConnectionPin(host: "hooks.rebinding.test", addresses: ["127.0.0.2", "127.0.0.1"])
        let answered = await client.send(OutboundRequest(url: url, headers: [], body: [], timeoutMs: 2_000, pin: fallingThrough))
        #expect(answered.statusCode == 200 && receiver.requests(on: "/pinned").count == 3, "\(answered)")
        #expect(client.pinnedClientCount == 2, "the address passed over has a client of its own")
        let nowhere = ConnectionPin(host: "hooks.rebinding.test", addresses: ["127.0.0.2", "127.0.0.3"])
        let refused = await client.send(OutboundRequest(url: url, headers: [], body: [], timeoutMs: 500, pin: nowhere))
        #expect(refused.statusCode == nil && [.connection, .timeout].contains(refused.errorKind), "\(refused)")
        try await client.shutdown()
        let afterShutdown = await client.send(OutboundRequest(url: url, headers: [], body: [], timeoutMs: 2_000, pin: pin))
        #expect(afterShutdown.errorKind == .interrupted)
        await receiver.stop()
    }

    /// An address literal pinned to itself (as the guard pins one) is sent through the pinned
    /// clients, which are capped and swept, not through the shared client's pools, kept for good.
    @Test func anAddressLiteralPinnedToItselfGoesThroughThePinnedClients() async throws {
        let receiver = try await TestReceiver.start()
        let client = WebhookHTTPClient()
        let pin = ConnectionPin(host: "127.0.0.1", addresses: ["127.0.0.1"])
        let response = await client.send(OutboundRequest(url: receiver.baseURL + "/literal", headers: [], body: [], timeoutMs: 2_000, pin: pin))
        #expect(response.statusCode == 200, "\(response)")
        #expect(client.pinnedClientCount == 1)
        try await client.shutdown()
        await receiver.stop()
    }

    /// A pin whose client nobody used for a while (its host moved to another address) has it shut
    /// down, so that moving hosts leave no clients behind.
    @Test func aPinnedClientLeftUnusedIsShutDown() async throws {
        let receiver = try await TestReceiver.start()
        let port = try #require(receiver.baseURL.split(separator: ":").last.map(String.init))
        let client = WebhookHTTPClient(pinnedClientIdleMs: 100)
        for host in ["moved.rebinding.test", "kept.rebinding.test"] {
            let url = "http://\(host):\(port)/hook"
            let response = await client.send(OutboundRequest(url: url, headers: [], body: [], timeoutMs: 2_000, pin: ConnectionPin(host: host, addresses: ["127.0.0.1"])))
            #expect(response.statusCode == 200, "\(response)")
            try await Task.sleep(for: .milliseconds(250))
        }
        #expect(client.pinnedClientCount == 1, "the first pin's client is gone")
        try await client.shutdown()
        await receiver.stop()
    }

    /// Only an address that could not be connected to is passed over: a request that reached
    /// the endpoint (here its connection is closed once the request is read) is not sent again
    /// to the next address.
    @Test func aRequestThatReachedTheEndpointIsNotSentToTheNextAddress() async throws {
        let server = try ClosingServer()
        let client = WebhookHTTPClient()
        let pin = ConnectionPin(host: "hooks.rebinding.test", addresses: ["127.0.0.1", "127.0.0.1"])
        let url = "http://hooks.rebinding.test:\(server.port)/closed"
        let response = await client.send(OutboundRequest(url: url, headers: [], body: Array("{}".utf8), timeoutMs: 5_000, pin: pin))
        #expect(response.statusCode == nil && response.errorKind == .connection, "\(response)")
        try await Task.sleep(for: .milliseconds(100))
        #expect(server.requestCount == 1, "sent once")
        try await client.shutdown()
        server.stop()
    }

    /// A stop after a pinned endpoint has answered leaves the answer standing (it took the
    /// event), where a request cut off before it reached the endpoint would be interrupted.
    @Test func aPinnedAnswerCutOffByAStopStands() async throws {
        let receiver = try await TestReceiver.start { request in
            request.path == "/stalls" ? .stallAfterHead(200, bodyStart: "{") : .hang
        }
        let port = try #require(receiver.baseURL.split(separator: ":").last.map(String.init))
        let client = WebhookHTTPClient()
        let pin = ConnectionPin(host: "hooks.rebinding.test", addresses: ["127.0.0.1"])
        let answered = Task { await client.send(OutboundRequest(url: "http://hooks.rebinding.test:\(port)/stalls", headers: [], body: [], timeoutMs: 30_000, pin: pin)) }
        _ = try await receiver.waitForRequests(1, on: "/stalls")
        try await Task.sleep(for: .milliseconds(200))
        answered.cancel()
        let response = await answered.value
        #expect(response.statusCode == 200, "\(response)")
        try await client.shutdown()
        await receiver.stop()
    }

    /// Past their most, the least recently used pinned clients not sending are shut down.
    @Test func pinnedClientsPastTheirMostAreShutDownLeastRecentlyUsedFirst() async throws {
        let receiver = try await TestReceiver.start()
        let port = try #require(receiver.baseURL.split(separator: ":").last.map(String.init))
        let client = WebhookHTTPClient(maxPinnedClientCount: 2)
        for host in ["first.rebinding.test", "second.rebinding.test", "third.rebinding.test"] {
            let url = "http://\(host):\(port)/hook"
            let response = await client.send(OutboundRequest(url: url, headers: [], body: [], timeoutMs: 2_000, pin: ConnectionPin(host: host, addresses: ["127.0.0.1"])))
            #expect(response.statusCode == 200, "\(response)")
        }
        #expect(client.pinnedClientCount == 2)
        try await client.shutdown()
        await receiver.stop()
    }
}

/// A TCP server on a loopback port that reads each request's first bytes, then closes the
/// connection without answering, counting the requests; or, not `accepts`, one that only
/// listens: the system completes each connection, and nothing ever reads from it.
private final class ClosingServer: Sendable {
    let port: Int
    private let listener: Int32
    private let requests = Mutex(0)

    var requestCount: Int { self.requests.withLock { $0 } }

    init(accepts: Bool = true) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && listen(listener, 16) == 0 && getsockname(listener, $0, &length) == 0
            }
        }
        guard bound else { throw ServerError() }
        self.listener = listener
        self.port = Int(UInt16(bigEndian: address.sin_port))
        guard accepts else { return }
        Thread.detachNewThread { [self] in
            while true {
                let connection = accept(listener, nil, nil)
                guard connection >= 0 else { return }
                var buffer = [UInt8](repeating: 0, count: 4096)
                if read(connection, &buffer, buffer.count) > 0 { self.requests.withLock { $0 += 1 } }
                close(connection)
            }
        }
    }

    func stop() {
        shutdown(self.listener, Int32(SHUT_RDWR))
        close(self.listener)
    }

    private struct ServerError: Error {}
}
