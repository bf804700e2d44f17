import AsyncHTTPClient
public import HooklogCore
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The one HTTP client of the process, for webhooks: no redirects (a webhook must not follow
/// them), a connect timeout, a deadline per request, a bounded response body, and every
/// failure turned into an `AttemptResponse` rather than thrown. A request with a `ConnectionPin`
/// goes to its pinned addresses, through a client per host and address (`PinnedClients`).
public final class WebhookHTTPClient: Sendable {
    private let client: HTTPClient
    private let pinned: PinnedClients

    /// A client; `maxConnectionsPerHost` bounds each pool (one per host; a pinned request's, one
    /// per host and address); a pinned client unused for
    /// `pinnedClientIdleMs` is shut down, and so are the least recently used past `maxPinnedClientCount`.
    public init(connectTimeoutMs: Int64 = 5_000, maxConnectionsPerHost: Int = 64, pinnedClientIdleMs: Int64 = 120_000, maxPinnedClientCount: Int = 1_024) {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .milliseconds(connectTimeoutMs)),
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: maxConnectionsPerHost),
            decompression: .disabled
        )
        // A refused or failed connection is the attempt's answer at once: the retry schedule
        // tries again. Retried within the attempt until the connect timeout, a dead endpoint would
        // hold its slot (and a mid-call caller its budget) that long, for the same answer.
        configuration.connectionPool.retryConnectionEstablishment = false
        // HTTP/1.1 only, as webhook senders do: over HTTP/2 every attempt to a host shares one
        // connection, and past its stream limit (often 100 or 128) the client queues attempts
        // while their deadlines run, blaming the endpoint for Hooklog's queue.
        configuration.httpVersion = .http1Only
        // Hooklog records every attempt in its journal; a span per request would cost every
        // attempt its attribute strings for nothing.
        configuration.tracing.tracer = nil
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.pinned = PinnedClients(configuration: configuration, idleMs: pinnedClientIdleMs, maxClientCount: maxPinnedClientCount)
    }

    /// How many pinned clients are kept now (one per host and address in recent use).
    var pinnedClientCount: Int { self.pinned.clientCount }

    /// Sends `request` and reports what happened, keeping the first `keepingResponseBytes` of the
    /// answer's body (a 1 KiB excerpt unless asked); never throws. A pinned request goes to its
    /// pin's addresses, the next only when the one before could not be connected to, all within
    /// the request's one timeout.
    public func send(_ request: OutboundRequest, keepingResponseBytes: Int = AttemptResponse.excerptLimitBytes) async -> AttemptResponse {
        let deadline = NIODeadline.now() + .milliseconds(request.timeoutMs)
        guard let pin = request.pin else {
            return await Self.send(request, on: self.client, until: deadline, keepingResponseBytes: keepingResponseBytes).response
        }
        // The client connects by the override only under the very spelling it reads from the URL;
        // under any other it would look the name up itself, so the request is not sent.
        guard Destination.connectionHost(of: request.url) == pin.host else {
            return .failed(.refused, "\(request.url) is not on \(pin.host), the host whose addresses were checked")
        }
        let startedAt = ContinuousClock.now
        let stopping = AttemptResponse.failed(.interrupted, "cut off: Hooklog was stopping")
        var response = stopping
        for (index, address) in pin.addresses.enumerated() {
            let target = PinnedClients.Target(host: pin.host, address: address, isLastAddress: index == pin.addresses.count - 1)
            let (answer, connected) = await self.pinned.withClient(for: target) { client in
                guard let client else { return (stopping, true) }
                return await Self.send(request, on: client, until: deadline, keepingResponseBytes: keepingResponseBytes)
            }
            response = answer
            if connected || Task.isCancelled || NIODeadline.now() >= deadline { break }
        }
        response.latencyMs = Self.milliseconds(startedAt.duration(to: .now))
        return response
    }

    /// Sends `request` through `client`; also says whether a connection was made (when it was
    /// not, nothing reached the endpoint, and another of its addresses may be tried).
    private static func send(
        _ request: OutboundRequest,
        on client: HTTPClient,
        until deadline: NIODeadline,
        keepingResponseBytes: Int
    ) async -> (response: AttemptResponse, connected: Bool) {
        let clock = ContinuousClock()
        let startedAt = clock.now
        let collector = ResponseCollector(keepingBytes: keepingResponseBytes)
        do {
            var headers = HTTPHeaders()
            for header in request.headers {
                headers.add(name: header.name, value: header.value)
            }
            // Firewalls in front of receivers (AWS WAF's core rules, Cloudflare) refuse requests
            // without one; a profile's own header wins.
            if !headers.contains(name: "User-Agent") { headers.add(name: "User-Agent", value: Self.userAgent) }
            let http = try HTTPClient.Request(url: request.url, method: .POST, headers: headers, body: .bytes(request.body))
            // Attempts take turns on the event loops, so that new connections, and the tasks their
            // answers wake, spread over every core rather than staying where the scheduler runs.
            let task = client.execute(
                request: http,
                delegate: collector,
                eventLoop: .delegate(on: client.eventLoopGroup.next()),
                deadline: deadline
            )
            let answer = try await withTaskCancellationHandler {
                try await task.futureResult.get()
            } onCancel: {
                task.cancel()
            }
            return (Self.response(answer, latencyMs: Self.milliseconds(startedAt.duration(to: clock.now))), true)
        } catch is ResponseCollector.BodyTooLong {
            // The status and the excerpt are in; the rest of a huge body is not worth the wait.
            return (Self.response(collector.answer, latencyMs: Self.milliseconds(startedAt.duration(to: clock.now))), true)
        } catch {
            // A request cut off while it waited for a connection fails with the connection's
            // error: the stop, not the endpoint, ended it.
            let isStopped = Task.isCancelled && Self.isConnectFailure(error)
            let (kind, message) = isStopped ? (.interrupted, "cut off: Hooklog was stopping") : Self.classify(error)
            let latencyMs = Self.milliseconds(startedAt.duration(to: clock.now))
            // The status came, then the body stopped: the endpoint has answered (a 2xx took the
            // event), and sending it again would only make a duplicate.
            guard collector.answer.statusCode != 0 else { return (.failed(kind, message, latencyMs: latencyMs), !Self.isConnectFailure(error)) }
            var answered = Self.response(collector.answer, latencyMs: latencyMs)
            answered.errorMessage = "the answer's body was cut off: \(message)"
            answered.bodyCutOffBy = kind
            return (answered, true)
        }
    }

    /// What every request names itself as, unless its profile sets a `User-Agent` of its own.
    public static let userAgent = "Hooklog/1.0 (webhook delivery)"

    /// Whether an AsyncHTTPClient `error` says no connection was made: nothing was sent.
    public static func isConnectFailure(_ error: any Error) -> Bool {
        if let error = error as? HTTPClientError {
            return [.connectTimeout, .getConnectionFromPoolTimeout, .tlsHandshakeTimeout].contains(error)
        }
        if error is NIOConnectionError { return true }
        if case ChannelError.connectTimeout? = error as? ChannelError { return true }
        if let error = error as? IOError { return [ECONNREFUSED, EHOSTUNREACH, ENETUNREACH].contains(error.errnoCode) }
        return false
    }

    /// Whether an AsyncHTTPClient `error` proves that no byte of the request reached a server:
    /// no connection was made (`isConnectFailure`), the URL could not be used, or the TLS
    /// handshake failed (a request is sent only after it).
    public static func isRefusedBeforeSending(_ error: any Error) -> Bool {
        if Self.isConnectFailure(error) { return true }
        // The scheme's case carries the scheme: told by its fixed short description.
        if let error = error as? HTTPClientError, [.invalidURL, .emptyScheme, .emptyHost].contains(error) || error.shortDescription == "Unsupported scheme" {
            return true
        }
        if let error = error as? NIOSSLError, case .handshakeFailed = error { return true }
        return false
    }

    /// Closes every connection; call once, at shutdown. Throws the first failure, after trying
    /// every client.
    public func shutdown() async throws {
        var pinnedFailure: (any Error)?
        do { try await self.pinned.shutdown() } catch { pinnedFailure = error }
        try await self.client.shutdown()
        if let pinnedFailure { throw pinnedFailure }
    }

    private static func response(_ answer: ResponseCollector.Answer, latencyMs: UInt64) -> AttemptResponse {
        var response = AttemptResponse(statusCode: answer.statusCode, errorKind: nil, errorMessage: nil, latencyMs: latencyMs, responseExcerpt: answer.excerpt)
        response.retryAfter = answer.retryAfter
        return response
    }

    private static func classify(_ error: any Error) -> (AttemptErrorKind, String) {
        // Only a stop cancels a send: the endpoint is not to blame (its health ignores it).
        if error is CancellationError {
            return (.interrupted, "cut off: Hooklog was stopping")
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .cancelled, .alreadyShutdown:
                return (.interrupted, "cut off: Hooklog was stopping")
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return (.timeout, "no answer within the request timeout")
            case .connectTimeout, .getConnectionFromPoolTimeout:
                return (.connection, "connecting timed out")
            case .tlsHandshakeTimeout:
                return (.tls, "the TLS handshake timed out")
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
