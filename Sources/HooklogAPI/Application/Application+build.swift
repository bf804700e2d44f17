import Foundation
import HooklogCore
package import HooklogDelivery
public import HooklogJournal
public import Hummingbird
public import Logging
public import ServiceLifecycle

/// The address the API listens on once it runs.
public struct ListeningAddress: Sendable, CustomStringConvertible {
    /// The host it is bound to.
    public let host: String
    /// The port it is bound to (the real one when 0 was asked for).
    public let port: Int

    /// The address `host`:`port`.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public var description: String {
        self.host.contains(":") ? "[\(self.host)]:\(self.port)" : "\(self.host):\(self.port)"
    }

    /// The URL a client on this machine reaches it at: a wildcard host through loopback.
    public var localURL: String {
        switch self.host {
        case "0.0.0.0", "": "http://127.0.0.1:\(self.port)"
        case "::": "http://[::1]:\(self.port)"
        default: "http://\(self)"
        }
    }
}

/// Builds the whole service: takes the data directory's lock, opens the store, and runs the
/// scheduler (with its dispatcher), the API, the mid-call invoker (with its own HTTP client) and
/// the services that close the two HTTP clients and the store, in that shutdown order (scheduler
/// first, store last). `onReady` is called once the API listens and the scheduler runs.
public func buildApplication(
    configuration: HooklogConfiguration,
    logger: Logger,
    clock: @escaping @Sendable () -> UInt64 = JournalConfiguration.wallClockMs,
    onReady: @escaping @Sendable (ListeningAddress) -> Void = { _ in }
) throws -> some Service {
    try buildApplication(configuration: configuration, logger: logger, clock: clock, onReady: onReady, hostResolver: .shared)
}

/// `buildApplication`, looking endpoints' hosts up with `hostResolver` (a test's stand-in for DNS).
package func buildApplication(
    configuration: HooklogConfiguration,
    logger: Logger,
    clock: @escaping @Sendable () -> UInt64,
    onReady: @escaping @Sendable (ListeningAddress) -> Void,
    hostResolver: HostResolver
) throws -> some Service {
    let profiles: WireProfileCatalog
    let eventTypes: EventTypeCatalog
    do {
        profiles = try WireProfileCatalog.load(folder: configuration.configDirectory + "/profiles")
        eventTypes = try EventTypeCatalog.load(configDirectory: configuration.configDirectory)
    } catch let error as CocoaError {
        // Most often a binary run away from its repository, where the default folder is not.
        let problem = error.code == .fileReadNoSuchFile || error.code == .fileNoSuchFile ? "no" : "cannot read"
        throw ConfigurationError(
            description: "\(problem) \(error.filePath ?? "file") in the configuration folder \(configuration.configDirectory) (configDir, HOOKLOG_CONFIG_DIR): "
                + "it holds the wire profiles (profiles/*.json) and event-types.json, as the repository's Config/ does"
        )
    }

    try PrivateFiles.createFolder(configuration.dataDirectory)
    let lock = try DataDirectoryLock.acquire(configuration.dataDirectory)
    let exposed = PrivateFiles.exposed(in: configuration.dataDirectory)
    if !exposed.isEmpty {
        // A directory made before Hooklog created its own private, or made by hand: left as it is.
        logger.warning(
            "other users of this machine can reach the data directory, which holds every event's body and every endpoint's signing secret: chmod 700 the folder and 600 its files",
            metadata: ["exposed": "\(exposed.map(\.description).joined(separator: ", "))"]
        )
    }
    if let adminKey = configuration.adminKey, adminKey.utf8.count < HooklogConfiguration.shortestSafeAdminKeyBytes {
        // Refusing it would refuse the key of a quick local try; it is the one key to every tenant.
        logger.warning(
            "the admin key is short (\(adminKey.utf8.count) bytes): it opens every tenant's events and endpoints to whoever guesses it; use a long random one, e.g. openssl rand -hex 32"
        )
    }
    let metrics = HooklogMetrics(logger: logger)
    // Every part but signing reads time from one clock that never goes back (see `LogClock`).
    let logClock = LogClock(wallClock: clock)
    let now: @Sendable () -> UInt64 = { logClock.nowMs() }
    let store = try HooklogStore(
        path: configuration.dataDirectory,
        configuration: JournalConfiguration(
            maxBatchDelayUs: configuration.commitDelayUs,
            preallocationBytes: configuration.preallocateMib << 20,
            clock: now,
            onCommit: { metrics.recordCommit($0) },
            onCommitFailure: { _ in metrics.recordCommitFailure() }
        ),
        logger: logger.labelled("journal")
    )
    // What stored endpoints and tenants use, and the invocations' default.
    let missingProfiles = try store.profileNamesInUse().union([MidCallProfiles.defaultName]).subtracting(profiles.names)
    guard missingProfiles.isEmpty else {
        throw ConfigurationError(
            description: "endpoints, tenants or invocations use the wire profiles \(missingProfiles.sorted().joined(separator: ", ")), which \(configuration.configDirectory)/profiles lacks: "
                + "restore their files (the profiles there are \(profiles.names.joined(separator: ", ")))"
        )
    }
    try metrics.startCounting(after: store)
    logClock.advance(toAtLeast: try store.journal.reader.head().appendedAtMs)

    // As many connections per host as attempts in all: endpoints sharing a host are limited one by
    // one, so together they may use all of them, and an attempt must never queue inside the client
    // (its deadline would run while it waits, and the endpoint take the blame).
    let client = WebhookHTTPClient(maxConnectionsPerHost: configuration.maxConcurrentAttempts)
    var dispatch = DispatchConfiguration(
        requestTimeoutMs: configuration.requestTimeoutMs,
        maxConcurrentAttempts: configuration.maxConcurrentAttempts,
        maxConcurrentAttemptsPerEndpoint: configuration.maxConcurrentAttemptsPerEndpoint,
        rules: DeliveryRules(
            retry: RetryPolicy(schedule: configuration.retrySchedule),
            health: EndpointHealthPolicy(failingForMs: configuration.endpointDisableAfterMs)
        ),
        allowsPrivateNetworks: configuration.allowsPrivateURLs
    )
    dispatch.hostResolver = hostResolver
    let deliveryLogger = logger.labelled("delivery")
    let dispatcher = AttemptDispatcher(store: store, client: client, profiles: profiles, configuration: dispatch, clock: now, wallClock: clock, logger: deliveryLogger)
    let scheduler = DeliveryScheduler(store: store, dispatcher: dispatcher, configuration: dispatch, clock: now, logger: deliveryLogger)
    // Mid-call endpoints get their own client, so their warm connections never queue behind deliveries.
    let midCallClient = WebhookHTTPClient(maxConnectionsPerHost: configuration.midCall.maxRunningCalls)
    var midCall = configuration.midCall
    midCall.allowsPrivateNetworks = configuration.allowsPrivateURLs
    let invoker = MidCallInvoker(
        store: store, client: midCallClient, profiles: profiles, configuration: midCall, clock: now, wallClock: clock, logger: logger.labelled("midcall")
    )
    let storeService = StoreService(store: store, lock: lock, logger: logger.labelled("journal"))

    var environment = APIEnvironment(
        store: store,
        configuration: configuration,
        profiles: profiles,
        eventTypes: eventTypes,
        metrics: metrics,
        isReady: { storeService.isOpen && scheduler.isRunning },
        clock: now,
        invoker: invoker
    )
    environment.hostResolver = hostResolver
    let apiLogger = logger.labelled("api")
    let api = Application(
        router: buildRouter(environment),
        server: .http1OnChannelEventLoops(
            idleTimeoutMs: configuration.connectionIdleTimeoutMs,
            requestBodyTimeoutMs: configuration.requestBodyTimeoutMs
        ),
        configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port)),
        onServerRunning: { channel in
            // Ready means the scheduler has recovered interrupted attempts and takes due work; a
            // stop that came first (the scheduler ran for an instant, or not at all) is never ready.
            while !scheduler.hasStarted && !Task.isCancelled && !Task.isShuttingDownGracefully {
                try? await Task.sleep(for: .milliseconds(5))
            }
            guard scheduler.isRunning else { return }
            let address = ListeningAddress(host: configuration.host, port: channel.localAddress?.port ?? configuration.port)
            // Where `hooklog resend`, given this data directory, finds the API.
            lock.recordListeningURL(address.localURL)
            onReady(address)
        },
        logger: apiLogger
    )
    // Stopped last to first. The scheduler first: no attempt starts once a stop begins, however
    // long the server then drains its requests (an attempt still running when the stop's time
    // runs out is sent again after the next start). Then the server, then the invoker (its
    // running calls end and are journaled), the clients, the metrics' counting, and the store.
    let counting = MetricsCountingService(metrics: metrics, store: store, logger: logger.labelled("metrics"))
    let services: [any Service] = [
        storeService, counting, HTTPClientService(client: client), HTTPClientService(client: midCallClient), invoker, api, scheduler,
    ]
    return ServiceGroup(configuration: ServiceGroupConfiguration(services: services, logger: logger))
}

/// The API's routes: health, metrics and the OpenAPI document at the root; everything else
/// under `/v1` behind the bearer-key check. Every error renders as `{"error":{"code","message"}}`.
public func buildRouter(_ environment: APIEnvironment) -> Router<APIRequestContext> {
    // Every GET route answers HEAD too (RFC 9110 §9.3.2): its status and headers, no body.
    let router = Router(context: APIRequestContext.self, options: .autoGenerateHeadEndpoints)
    let routeMethods = RouteMethods()
    router.add(middleware: ErrorMiddleware(routeMethods: routeMethods))
    router.addRoutes(HealthRoutes(environment: environment).routes)
    let auth = AuthMiddleware(store: environment.store, adminKey: environment.configuration.adminKey)
    router.group().add(middleware: auth).addRoutes(ServiceRoutes(environment: environment).routes)
    let v1 = router.group("v1").add(middleware: auth)
    v1.addRoutes(TenantRoutes(environment: environment).routes, atPath: "tenants")
    v1.addRoutes(EndpointRoutes(environment: environment).routes, atPath: "endpoints")
    v1.addRoutes(EventRoutes(environment: environment).routes, atPath: "events")
    v1.addRoutes(EventTypeRoutes(environment: environment).routes, atPath: "event_types")
    v1.addRoutes(DeliveryRoutes(environment: environment).routes, atPath: "deliveries")
    let invocations = InvocationRoutes(environment: environment)
    v1.addRoutes(invocations.invokeRoutes, atPath: "invoke")
    v1.addRoutes(invocations.routes, atPath: "invocations")
    v1.addRoutes(ReplayRoutes(environment: environment).routes, atPath: "replays")
    v1.addRoutes(ExportRoutes(environment: environment).routes, atPath: "export")
    routeMethods.learn(router)
    return router
}

extension Logger {
    /// This logger with `component` metadata.
    func labelled(_ component: String) -> Logger {
        var logger = self
        logger[metadataKey: "component"] = "\(component)"
        return logger
    }
}
