import AsyncHTTPClient
import Foundation
import HooklogAPI
import HooklogCore
import HooklogDelivery
import HooklogJournal
import HooklogTestSupport
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// A real Hooklog on a loopback port (the same `buildApplication` that `hooklog serve` runs, with
/// a millisecond retry schedule) and a real receiver; requests go over HTTP with AsyncHTTPClient.
final class APIHarness: Sendable {
    static let repositoryFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let configFolder = repositoryFolder.appendingPathComponent("Config").path
    static let adminKey = "test-admin-key"

    let baseURL: String
    let folder: String
    let receiver: TestReceiver
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    private init(baseURL: String, folder: String, receiver: TestReceiver, group: ServiceGroup, task: Task<Void, any Error>) {
        self.baseURL = baseURL
        self.folder = folder
        self.receiver = receiver
        self.group = group
        self.task = task
    }

    /// Starts Hooklog and a receiver answering as `script` says.
    static func start(
        allowsPrivateURLs: Bool = true,
        maxBodyBytes: Int = 1 << 20,
        retrySchedule: String = "20ms,40ms,80ms",
        connectionIdleTimeoutMs: Int64 = 60_000,
        requestBodyTimeoutMs: Int64 = 30_000,
        requestTimeoutMs: Int64 = 1_000,
        maxEndpointsPerTenant: Int = 1_000,
        replayMaxDeliveries: Int = 50_000,
        maxConcurrentAttemptsPerEndpoint: Int = 32,
        midCall: MidCallConfiguration = MidCallConfiguration(),
        adminKey: String = APIHarness.adminKey,
        folder: String? = nil,
        configFolder: String = APIHarness.configFolder,
        clock: @escaping @Sendable () -> UInt64 = JournalConfiguration.wallClockMs,
        logger: Logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
        hostResolver: HostResolver = .shared,
        script: @escaping TestReceiver.Script = { _ in .status(200) }
    ) async throws -> APIHarness {
        let folder = folder ?? NSTemporaryDirectory() + "hooklog-api-" + UUID().uuidString
        let receiver = try await TestReceiver.start(script)
        let configuration = HooklogConfiguration(
            dataDirectory: folder,
            host: "127.0.0.1",
            port: 0,
            adminKey: adminKey,
            allowsPrivateURLs: allowsPrivateURLs,
            retrySchedule: try RetrySchedule(parsing: retrySchedule),
            requestTimeoutMs: requestTimeoutMs,
            maxBodyBytes: maxBodyBytes,
            connectionIdleTimeoutMs: connectionIdleTimeoutMs,
            requestBodyTimeoutMs: requestBodyTimeoutMs,
            configDirectory: configFolder,
            maxConcurrentAttemptsPerEndpoint: maxConcurrentAttemptsPerEndpoint,
            maxEndpointsPerTenant: maxEndpointsPerTenant,
            replayMaxDeliveries: replayMaxDeliveries,
            preallocateMib: 1,  // a little, so that every suite exercises it without writing 64 MiB each
            midCall: midCall
        )
        let ready = AsyncStream<ListeningAddress>.makeStream()
        let app = try buildApplication(configuration: configuration, logger: logger, clock: clock, onReady: { address in
            ready.continuation.yield(address)
            ready.continuation.finish()
        }, hostResolver: hostResolver)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task { try await group.run() }
        var iterator = ready.stream.makeAsyncIterator()
        guard let address = await iterator.next() else {
            task.cancel()
            throw HarnessError(description: "Hooklog did not start")
        }
        return APIHarness(baseURL: "http://127.0.0.1:\(address.port)", folder: folder, receiver: receiver, group: group, task: task)
    }

    /// Asks Hooklog to stop, and returns while it drains (`stop` waits for the end).
    func beginStop() async {
        await self.group.triggerGracefulShutdown()
    }

    /// Stops Hooklog gracefully and the receiver, and removes the data folder unless told to keep it
    /// (the caller then removes it).
    func stop(removingData: Bool = true) async {
        await self.group.triggerGracefulShutdown()
        _ = await self.task.result
        await self.receiver.stop()
        if removingData { try? FileManager.default.removeItem(atPath: self.folder) }
    }

    // MARK: Requests

    /// One answer: its status, headers and body (parsed as JSON when it is JSON).
    struct Answer: Sendable {
        let status: Int
        let headers: [String: String]
        let body: [UInt8]

        /// The body as a JSON object.
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(self.body))) as? [String: Any] ?? [:]
        }

        /// The body as text, for a failed expectation to show.
        var text: String {
            String(decoding: self.body, as: UTF8.self)
        }

        /// `error.code` of an error body.
        var errorCode: String? {
            (self.json["error"] as? [String: Any])?["code"] as? String
        }

        /// The `data` array of a list.
        var items: [[String: Any]] {
            self.json["data"] as? [[String: Any]] ?? []
        }
    }

    /// Sends a request, to the server or (`through`) a proxy in front of it; `key` goes into
    /// `Authorization: Bearer`.
    func request(
        _ method: HTTPMethod,
        _ path: String,
        key: String? = nil,
        body: String? = nil,
        rawBody: [UInt8]? = nil,
        headers: [(String, String)] = [],
        through proxyBaseURL: String? = nil
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: (proxyBaseURL ?? self.baseURL) + path)
        request.method = method
        if let key { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let bytes = rawBody ?? body.map({ Array($0.utf8) }) {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: bytes))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let collected = try await response.body.collect(upTo: 16 << 20)
        var answerHeaders: [String: String] = [:]
        for header in response.headers { answerHeaders[header.name.lowercased()] = header.value }
        return Answer(status: Int(response.status.code), headers: answerHeaders, body: Array(buffer: collected))
    }

    // MARK: Shortcuts

    /// A new tenant's API key.
    func createTenant(_ name: String = "Callina GmbH") async throws -> String {
        let answer = try await self.request(.POST, "/v1/tenants", key: Self.adminKey, body: #"{"name":"\#(name)"}"#)
        guard answer.status == 201, let key = answer.json["api_key"] as? String else {
            throw HarnessError(description: "creating a tenant answered \(answer.status): \(answer.text)")
        }
        return key
    }

    /// A new endpoint at `path` of the receiver: its id and signing secret. Its `events` are the
    /// profile's default (every type; none for a mid-call profile) unless given.
    func createEndpoint(
        key: String,
        path: String,
        events: [String]? = nil,
        profile: String = "standard"
    ) async throws -> (id: String, secret: String) {
        let subscriptions = events.map { #","enabled_events":["# + $0.map { "\"\($0)\"" }.joined(separator: ",") + "]" } ?? ""
        let answer = try await self.request(
            .POST,
            "/v1/endpoints",
            key: key,
            body: #"{"url":"\#(self.receiver.baseURL)\#(path)","profile":"\#(profile)"\#(subscriptions)}"#
        )
        guard answer.status == 201, let id = answer.json["id"] as? String, let secret = answer.json["signing_secret"] as? String else {
            throw HarnessError(description: "creating an endpoint answered \(answer.status): \(answer.text)")
        }
        return (id, secret)
    }

    /// Posts an event; the answer as it came.
    func postEvent(
        key: String,
        type: String = "call.completed",
        data: String = #"{"duration_seconds":174}"#,
        idempotencyKey: String? = nil,
        extra: String = ""
    ) async throws -> Answer {
        try await self.request(
            .POST,
            "/v1/events",
            key: key,
            body: #"{"type":"\#(type)","data":\#(data)\#(extra)}"#,
            headers: idempotencyKey.map { [("Idempotency-Key", $0)] } ?? []
        )
    }

    /// Polls `path` until `done` holds for its answer, or fails after `timeoutMs`.
    func waitFor(_ path: String, key: String, timeoutMs: Int = 10_000, until done: (Answer) -> Bool) async throws -> Answer {
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(timeoutMs))
        while true {
            let answer = try await self.request(.GET, path, key: key)
            if done(answer) { return answer }
            guard ContinuousClock.now < deadline else {
                throw HarnessError(description: "\(path) never got there: \(answer.text)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    struct HarnessError: Error, CustomStringConvertible {
        let description: String
    }
}

/// Runs `body` with a started harness and always stops it.
func withAPIHarness<Result>(
    allowsPrivateURLs: Bool = true,
    maxBodyBytes: Int = 1 << 20,
    script: @escaping TestReceiver.Script = { _ in .status(200) },
    _ body: (APIHarness) async throws -> Result
) async throws -> Result {
    let harness = try await APIHarness.start(allowsPrivateURLs: allowsPrivateURLs, maxBodyBytes: maxBodyBytes, script: script)
    do {
        let result = try await body(harness)
        await harness.stop()
        return result
    } catch {
        await harness.stop()
        throw error
    }
}
