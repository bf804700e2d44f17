import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A real HTTP receiver on a loopback port: it answers each request as its script says (a status,
/// late, or never) and keeps every request it got, so tests can check what endpoints really saw.
public final class TestReceiver: Sendable {
    /// One request as it arrived.
    public struct Received: Sendable {
        public let path: String
        public let headers: [String: String]
        public let body: [UInt8]
        /// The 1-based count of requests to this path, this one included.
        public let countOnPath: Int

        /// The value of a header, by case-insensitive name.
        public func header(_ name: String) -> String? { self.headers[name.lowercased()] }
    }

    /// How to answer.
    public indirect enum Reply: Sendable {
        case status(Int, body: String = "")
        /// A body of any bytes, UTF-8 or not.
        case bytes(Int, body: [UInt8])
        case delayed(milliseconds: Int, Reply)
        /// Hold the request open until the receiver stops (the client times out first).
        case hang
        /// Send the status and the start of a body, then hold the rest back until the receiver stops.
        case stallAfterHead(Int, bodyStart: String)
        /// The reply with these headers added (a `Retry-After`, say).
        case withHeaders([String: String], Reply)
    }

    public typealias Script = @Sendable (Received) -> Reply

    private struct State {
        var received: [Received] = []
        var countByPath: [String: Int] = [:]
        var openByPath: [String: Int] = [:]
        var mostOpenByPath: [String: Int] = [:]
        var isStopped = false
    }

    private let state = Mutex(State())
    private let serverTask: Mutex<Task<Void, any Error>?> = Mutex(nil)
    private let boundPort = Mutex<Int?>(nil)

    /// The base URL, e.g. `http://127.0.0.1:41234`.
    public var baseURL: String { "http://127.0.0.1:\(self.boundPort.withLock { $0 } ?? 0)" }

    /// Starts a receiver on a free loopback port; it answers as `script` says.
    public static func start(_ script: @escaping Script = { _ in .status(200) }) async throws -> TestReceiver {
        let receiver = TestReceiver()
        try await receiver.run(script)
        return receiver
    }

    /// Every request so far, in arrival order; on one path if given.
    public func requests(on path: String? = nil) -> [Received] {
        self.state.withLock { state in path.map { path in state.received.filter { $0.path == path } } ?? state.received }
    }

    /// The most requests to `path` that were open at once.
    public func mostConcurrentRequests(on path: String) -> Int {
        self.state.withLock { $0.mostOpenByPath[path, default: 0] }
    }

    /// Waits until `count` requests (on `path`, if given) have arrived, or fails after `timeoutMs`.
    public func waitForRequests(_ count: Int, on path: String? = nil, timeoutMs: Int = 10_000) async throws -> [Received] {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .milliseconds(timeoutMs))
        while clock.now < deadline {
            let received = self.requests(on: path)
            if received.count >= count { return received }
            try await Task.sleep(for: .milliseconds(10))
        }
        let got = self.requests(on: path).count
        throw ReceiverTimeout(description: "expected \(count) requests on \(path ?? "any path") within \(timeoutMs) ms, got \(got)")
    }

    /// Stops listening and releases hanging requests.
    public func stop() async {
        self.state.withLock { $0.isStopped = true }
        let task = self.serverTask.withLock { $0 }
        task?.cancel()
        _ = await task?.result
    }

    public struct ReceiverTimeout: Error, CustomStringConvertible {
        public let description: String
    }

    private func run(_ script: @escaping Script) async throws {
        let router = Router()
        router.post("**") { request, context -> Response in
            let body = try await request.body.collect(upTo: 16 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            // HTTP/1.1's Host arrives as the request's authority, not among its fields.
            if let authority = request.head.authority { headers["host"] = authority }
            let path = request.uri.path
            let received = self.state.withLock { state -> Received in
                state.countByPath[path, default: 0] += 1
                let received = Received(path: path, headers: headers, body: Array(buffer: body), countOnPath: state.countByPath[path]!)
                state.received.append(received)
                state.openByPath[path, default: 0] += 1
                state.mostOpenByPath[path] = max(state.mostOpenByPath[path, default: 0], state.openByPath[path]!)
                return received
            }
            defer { self.state.withLock { $0.openByPath[path, default: 1] -= 1 } }
            return try await self.respond(script(received))
        }
        let ready = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "test-receiver")
        logger.logLevel = .critical
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                ready.continuation.yield(channel.localAddress?.port ?? 0)
                ready.continuation.finish()
            },
            logger: logger
        )
        let task = Task { try await app.run() }
        self.serverTask.withLock { $0 = task }
        var iterator = ready.stream.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            task.cancel()
            throw ReceiverTimeout(description: "the receiver did not start")
        }
        self.boundPort.withLock { $0 = port }
    }

    private func respond(_ reply: Reply) async throws -> Response {
        switch reply {
        case .status(let code, let body):
            return Response(
                status: HTTPResponse.Status(code: code),
                headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: body))
            )
        case .bytes(let code, let body):
            return Response(
                status: HTTPResponse.Status(code: code),
                headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: body))
            )
        case .delayed(let milliseconds, let then):
            try? await Task.sleep(for: .milliseconds(milliseconds))
            return try await self.respond(then)
        case .withHeaders(let headers, let reply):
            var response = try await self.respond(reply)
            for (name, value) in headers {
                guard let name = HTTPField.Name(name) else { preconditionFailure("\(name) is not a header name") }
                response.headers[name] = value
            }
            return response
        case .hang:
            await self.waitUntilStopped()
            return Response(status: .serviceUnavailable)
        case .stallAfterHead(let code, let bodyStart):
            return Response(
                status: HTTPResponse.Status(code: code),
                headers: [.contentType: "application/json"],
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: bodyStart))
                    await self.waitUntilStopped()
                    try await writer.finish(nil)
                }
            )
        }
    }

    /// Returns once the receiver stops, or after a minute.
    private func waitUntilStopped() async {
        for _ in 0..<6_000 where !self.state.withLock({ $0.isStopped }) {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }
}
