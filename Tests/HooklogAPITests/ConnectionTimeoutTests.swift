import Foundation
import HooklogTestSupport
import NIOHTTP1
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("API connections")
struct ConnectionTimeoutTests {
    /// A client that connects and sends nothing (or trickles a request head) is cut off after the
    /// idle timeout, so it cannot hold a connection open for ever.
    @Test(.timeLimit(.minutes(1)), arguments: ["", "GET /healthz HTTP/1.1\r\nHost: x"])
    func aConnectionWithNoRequestInProgressIsClosedAfterTheIdleTimeout(sentFirst: String) async throws {
        let hooklog = try await APIHarness.start(connectionIdleTimeoutMs: 300)
        let socket = try Self.connect(port: URL(string: hooklog.baseURL)?.port ?? 0)
        if !sentFirst.isEmpty {
            Self.send(socket, sentFirst)
        }
        let startedAt = ContinuousClock.now
        let answer = try await Self.readUntilClosed(socket)
        let waited = startedAt.duration(to: .now)
        close(socket)
        await hooklog.stop()
        #expect(answer.isEmpty, "the server answered instead of closing: \(answer)")
        #expect(waited < .seconds(5), "the connection was not closed within 5 s")
    }

    /// A client trickling a body (each byte well within the idle timeout) gets 408 at the body's
    /// deadline and its connection closes; nothing is journaled.
    @Test(.timeLimit(.minutes(1)))
    func aBodyTrickledPastItsDeadlineGets408AndTheConnectionCloses() async throws {
        // Idle time is counted while a body trickles too: well past the body's deadline, so that a
        // sender held up on a loaded machine is not cut off by it first.
        let hooklog = try await APIHarness.start(connectionIdleTimeoutMs: 5_000, requestBodyTimeoutMs: 1_000)
        let key = try await hooklog.createTenant()
        let socket = try Self.connect(port: URL(string: hooklog.baseURL)?.port ?? 0)
        Self.send(socket, "POST /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(key)\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
        let (answer, waited) = try await Self.answer(on: socket, while: BackgroundSender(socket: socket, chunk: " ", pauseUs: 100_000))
        #expect(answer.hasPrefix("HTTP/1.1 408"), "got \(answer)")
        #expect(answer.contains(#""code":"request_timeout""#))
        #expect(answer.lowercased().contains("connection: close"))
        #expect(waited >= .milliseconds(700) && waited < .seconds(8), "closed after \(waited)")
        let events = try await hooklog.request(.GET, "/v1/events", key: key)
        #expect(events.status == 200 && events.items.isEmpty)
        await hooklog.stop()
    }

    /// Once a stop begins, no attempt starts, however long a request in progress holds the server
    /// up: an attempt the stop's time then cut off would be sent again after the next start.
    @Test(.timeLimit(.minutes(1)))
    func aStopStartsNoAttemptWhileARequestInProgressHoldsTheServerUp() async throws {
        let hooklog = try await APIHarness.start(retrySchedule: "2s", script: { request in
            request.countOnPath == 1 ? .status(503) : .status(200)
        })
        let key = try await hooklog.createTenant()
        _ = try await hooklog.createEndpoint(key: key, path: "/flaky")
        #expect(try await hooklog.postEvent(key: key).status == 202)
        _ = try await hooklog.receiver.waitForRequests(1, on: "/flaky")
        // A request whose body is still coming: the server waits for it as it stops.
        let socket = try Self.connect(port: URL(string: hooklog.baseURL)?.port ?? 0)
        Self.send(socket, "POST /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(key)\r\nContent-Length: 1000\r\n\r\n{")
        try await Task.sleep(for: .milliseconds(100))
        let stopped = Mutex(false)
        let stopping = Task {
            await hooklog.stop()
            stopped.withLock { $0 = true }
        }
        try await Task.sleep(for: .milliseconds(2_600))  // past the retry's 2 s (+20 %)
        #expect(!stopped.withLock { $0 }, "the stop did not wait for the request in progress: the test proves nothing")
        #expect(hooklog.receiver.requests(on: "/flaky").count == 1, "the retry went out while the server was stopping")
        close(socket)
        await stopping.value
    }

    /// A request pipelined behind one still being answered (here a long poll) is not read until
    /// that answer ends, so its body's clock starts then, not at its head.
    @Test(.timeLimit(.minutes(1)))
    func aPipelinedRequestsBodyClockStartsWhenTheAnswerBeforeItEnds() async throws {
        let hooklog = try await APIHarness.start(requestBodyTimeoutMs: 1_000, script: { _ in .delayed(milliseconds: 2_500, .status(200, body: "{}")) })
        let key = try await hooklog.createTenant()
        let invoke = #"{"url":"\#(hooklog.receiver.baseURL)/slow","event":"order-status","budget_ms":100}"#
        // From before the call starts: it ends 2.5 s later, and the 408 comes a second after that.
        let startedAt = ContinuousClock.now
        let invocation = try await hooklog.request(.POST, "/v1/invoke", key: key, body: invoke)
        let id = try #require(invocation.json["invocation_id"] as? String)
        let socket = try Self.connect(port: URL(string: hooklog.baseURL)?.port ?? 0)
        Self.send(
            socket,
            "GET /v1/invocations/\(id)?wait=10s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(key)\r\n\r\n"
                + "POST /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(key)\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
        )
        let answers = try await Self.readUntilClosed(socket)
        let waited = startedAt.duration(to: .now)
        close(socket)
        // The long poll is answered when the call ends (2.5 s after it started), the pipelined
        // body gets its 408 a second after that (had its clock started at its head, at once).
        // Each answer's status, in order (a body runs straight into the next status line).
        let statuses = answers.components(separatedBy: "HTTP/1.1 ").dropFirst().map { String($0.prefix(3)) }
        #expect(statuses == ["200", "408"], "\(answers)")
        #expect(waited >= .milliseconds(3_000), "the 408 came \(waited) after the call started")
        await hooklog.stop()
    }

    /// A body refused by its declared length is not read to its end: the 413 closes the
    /// connection rather than wait for (and drop) the rest, and a client still sending its body
    /// meanwhile reads the whole answer (the server closes its side first, not with a reset),
    /// whether or not the request itself said `Connection: close` (then Hummingbird reads no more).
    @Test(.timeLimit(.minutes(1)), arguments: ["", "Connection: close\r\n"])
    func aBodyRefusedByItsLengthGets413AndTheConnectionCloses(requestConnectionHeader: String) async throws {
        let hooklog = try await APIHarness.start(maxBodyBytes: 1_024)
        let key = try await hooklog.createTenant()
        let (answer, waited) = try await Self.answerToAnEventOf10MB(from: hooklog, headers: "Authorization: Bearer \(key)\r\n\(requestConnectionHeader)")
        #expect(answer.hasPrefix("HTTP/1.1 413"), "got \(answer)")
        #expect(answer.contains(#""code":"payload_too_large""#))
        #expect(answer.lowercased().contains("connection: close"))
        #expect(waited < .seconds(5), "the connection was not closed after the answer")
        await hooklog.stop()
    }

    /// A request refused before its body is read (no key, the wrong key, an unknown route) is not
    /// read to the end of a body that may be gigabytes either: its answer closes the connection.
    @Test(.timeLimit(.minutes(1)), arguments: [("", "401"), ("Authorization: Bearer \(APIHarness.adminKey)\r\n", "403")])
    func aRequestRefusedBeforeItsBodyIsReadClosesTheConnection(authorization: String, status: String) async throws {
        let hooklog = try await APIHarness.start()
        let (answer, waited) = try await Self.answerToAnEventOf10MB(from: hooklog, headers: authorization)
        #expect(answer.hasPrefix("HTTP/1.1 \(status)"), "got \(answer)")
        #expect(answer.lowercased().contains("connection: close"))
        #expect(waited < .seconds(5), "the connection was not closed after the answer")
        await hooklog.stop()
    }

    /// A request read to its end keeps its connection whatever its answer: a platform whose event
    /// is refused (a 422) sends its next request on the same connection, not a new one.
    @Test(.timeLimit(.minutes(1)))
    func aRequestRefusedAfterItsBodyWasReadKeepsTheConnection() async throws {
        let hooklog = try await APIHarness.start()
        let key = try await hooklog.createTenant()
        let socket = try Self.connect(port: URL(string: hooklog.baseURL)?.port ?? 0)
        defer { close(socket) }
        let body = #"{"type":"call.teleported","data":{}}"#
        Self.send(socket, "POST /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(key)\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        // Sent once the first is answered, so that it is no pipelined request.
        try await Task.sleep(for: .milliseconds(300))
        Self.send(socket, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let answers = try await Self.readUntilClosed(socket)
        let statuses = answers.components(separatedBy: "HTTP/1.1 ").dropFirst().map { String($0.prefix(3)) }
        #expect(statuses == ["422", "200"], "\(answers)")
        #expect(answers.contains(#""code":"unknown_event_type""#))
        await hooklog.stop()
    }

    /// What `hooklog` answers to a `POST /v1/events` with `headers` (each ending in CRLF) that
    /// declares a body of 10 MB and sends up to 4 MB of it meanwhile, and how long the answer took
    /// to end in a closed connection.
    private static func answerToAnEventOf10MB(from hooklog: APIHarness, headers: String) async throws -> (answer: String, waited: Duration) {
        let socket = try Self.connect(port: URL(string: hooklog.baseURL)?.port ?? 0)
        Self.send(socket, "POST /v1/events HTTP/1.1\r\nHost: x\r\n\(headers)Content-Type: application/json\r\nContent-Length: 10000000\r\n\r\n{")
        let body = BackgroundSender(socket: socket, chunk: String(repeating: " ", count: 16_384), maxBytes: 4_000_000)
        return try await Self.answer(on: socket, while: body)
    }

    /// Sends `text`; how many bytes went (negative on an error).
    @discardableResult
    static func send(_ socket: Int32, _ text: String) -> Int {
        text.withCString { Glibc.send(socket, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
    }

    /// What the server answers on `socket` until it closes it, and how long that took, while
    /// `sender` goes on sending; then the sender stops and the socket closes.
    private static func answer(on socket: Int32, while sender: BackgroundSender) async throws -> (answer: String, waited: Duration) {
        let startedAt = ContinuousClock.now
        let answer = try await Self.readUntilClosed(socket)
        let waited = startedAt.duration(to: .now)
        try await sender.stop()
        close(socket)
        return (answer, waited)
    }

    /// What the server sends until it closes the connection, or 10 s pass (the socket's timeout),
    /// read on a thread of its own (the server under test needs the pool's threads).
    private static func readUntilClosed(_ socket: Int32) async throws -> String {
        try await OwnThread.run {
            var received: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4_096)
            while true {
                let count = recv(socket, &buffer, buffer.count, 0)
                guard count > 0 else { break }
                received += buffer[..<count]
            }
            return String(decoding: received, as: UTF8.self)
        }
    }

    /// A plain TCP connection to the API on `port`, for what an HTTP client will not do (send
    /// half a request, never read the answer); reads on it give up after 10 s.
    static func connect(port: Int) throws -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 else {
            close(descriptor)
            throw POSIXError(.ECONNREFUSED)
        }
        return descriptor
    }
}

/// Sends `chunk` on a socket again and again from a thread of its own (blocking sends must not
/// hold one of the pool's few threads, which the server under test needs), every `pauseUs`, until
/// stopped, `maxBytes` are sent, or the socket refuses.
private final class BackgroundSender: Sendable {
    private let isSending = Atomic(true)
    private let ended = DispatchSemaphore(value: 0)

    init(socket: Int32, chunk: String, pauseUs: UInt32 = 0, maxBytes: Int = .max) {
        Thread.detachNewThread { [self] in
            var sentBytes = 0
            while self.isSending.load(ordering: .relaxed), sentBytes < maxBytes {
                if pauseUs > 0 { usleep(pauseUs) }
                let sent = ConnectionTimeoutTests.send(socket, chunk)
                guard sent > 0 else { break }
                sentBytes += sent
            }
            self.ended.signal()
        }
    }

    /// Stops sending; returns once the thread has.
    func stop() async throws {
        self.isSending.store(false, ordering: .relaxed)
        try await OwnThread.run { self.ended.wait() }
    }
}
