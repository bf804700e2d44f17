import AsyncHTTPClient
public import HooklogCore
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The one HTTP client of the process, for webhooks: no redirects (a webhook must not follow
/// them), a connect timeout, a deadline per request, a bounded response body, and every
/// failure turned into an `AttemptResponse` rather than thrown. A request with a `ConnectionPin`
/// goes to its pinned address, through a client of that pin's (`PinnedClients`).
public final class WebhookHTTPClient: Sendable {
    private let client: HTTPClient
    private let pinned: PinnedClients

    /// A client; `maxConnectionsPerHost` bounds the pool per host; a pinned client unused for
    /// `pinnedClientIdleMs` is shut down.
    public init(connectTimeoutMs: Int64 = 5_000, maxConnectionsPerHost: Int = 64, pinnedClientIdleMs: Int64 = 120_000) {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .milliseconds(connectTimeoutMs)),
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: maxConnectionsPerHost),
            decompression: .disabled
        )
        // HTTP/1.1 only, as webhook senders do: over HTTP/2 every attempt to a host shares one
        // connection, and past its stream limit (often 100 or 128) the client queues attempts
        // while their deadlines run, blaming the endpoint for Hooklog's queue.
        configuration.httpVersion = .http1Only
        // Hooklog records every attempt in its journal; a span per request would cost every
        // attempt its attribute strings for nothing.
        configuration.tracing.tracer = nil
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.pinned = PinnedClients(configuration: configuration, idleMs: pinnedClientIdleMs)
    }

    /// How many pinned clients are kept now (one per host and address in recent use).
    var pinnedClientCount: Int { self.pinned.clientCount }

    /// Sends `request` and reports what happened, keeping the first `keepingResponseBytes` of the
    /// answer's body (a 1 KiB excerpt unless asked); never throws.
    public func send(_ request: OutboundRequest, keepingResponseBytes: Int = AttemptResponse.excerptLimitBytes) async -> AttemptResponse {
        guard let pin = request.pin else { return await Self.send(request, on: self.client, keepingResponseBytes: keepingResponseBytes) }
        return await self.pinned.withClient(for: pin) { client in
            guard let client else { return .failed(.interrupted, "cut off: Hooklog was stopping") }
            return await Self.send(request, on: client, keepingResponseBytes: keepingResponseBytes)
        }
    }

    private static func send(_ request: OutboundRequest, on client: HTTPClient, keepingResponseBytes: Int) async -> AttemptResponse {
        let clock = ContinuousClock()
        let startedAt = clock.now
        let collector = ResponseCollector(keepingBytes: keepingResponseBytes)
        do {
            var headers = HTTPHeaders()
            for header in request.headers {
                headers.add(name: header.name, value: header.value)
            }
            let http = try HTTPClient.Request(url: request.url, method: .POST, headers: headers, body: .bytes(request.body))
            // Attempts take turns on the event loops, so that new connections, and the tasks their
            // answers wake, spread over every core rather than staying where the scheduler runs.
            let task = client.execute(
                request: http,
                delegate: collector,
                eventLoop: .delegate(on: client.eventLoopGroup.next()),
                deadline: .now() + .milliseconds(request.timeoutMs)
            )
            let answer = try await withTaskCancellationHandler {
                try await task.futureResult.get()
            } onCancel: {
                task.cancel()
            }
            return Self.response(answer, latencyMs: Self.milliseconds(startedAt.duration(to: clock.now)))
        } catch is ResponseCollector.BodyTooLong {
            // The status and the excerpt are in; the rest of a huge body is not worth the wait.
            return Self.response(collector.answer, latencyMs: Self.milliseconds(startedAt.duration(to: clock.now)))
        } catch {
            let (kind, message) = Self.classify(error)
            let latencyMs = Self.milliseconds(startedAt.duration(to: clock.now))
            // The status came, then the body stopped: the endpoint has answered (a 2xx took the
            // event), and sending it again would only make a duplicate.
            guard collector.answer.statusCode != 0 else { return .failed(kind, message, latencyMs: latencyMs) }
            var answered = Self.response(collector.answer, latencyMs: latencyMs)
            answered.errorMessage = "the answer's body was cut off: \(message)"
            answered.bodyCutOffBy = kind
            return answered
        }
    }

    /// Closes every connection; call once, at shutdown.
    public func shutdown() async throws {
        try await self.pinned.shutdown()
        try await self.client.shutdown()
    }

    private static func response(_ answer: ResponseCollector.Answer, latencyMs: UInt64) -> AttemptResponse {
        AttemptResponse(statusCode: answer.statusCode, errorKind: nil, errorMessage: nil, latencyMs: latencyMs, responseExcerpt: answer.excerpt)
    }

    private static func classify(_ error: any Error) -> (AttemptErrorKind, String) {
        // Only a stop cancels a send: the endpoint is not to blame (its health ignores it).
        if error is CancellationError {
            return (.interrupted, "cut off: Hooklog was stopping")
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .cancelled:
                return (.interrupted, "cut off: Hooklog was stopping")
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return (.timeout, "no answer within the request timeout")
            case .connectTimeout:
                return (.connection, "connecting timed out")
            case .remoteConnectionClosed:
                return (.connection, "the endpoint closed the connection before answering")
            default:
                return (.other, "\(error)")
            }
        }
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            return (.tls, "TLS failed: \(error)")
        }
        if error is NIOConnectionError || error is IOError || error is ChannelError {
            return (.connection, "connection failed: \(error)")
        }
        return (.other, "\(error)")
    }

    private static func milliseconds(_ duration: Duration) -> UInt64 {
        let components = duration.components
        return UInt64(max(0, components.seconds)) * 1_000 + UInt64(max(0, components.attoseconds)) / 1_000_000_000_000_000
    }
}
