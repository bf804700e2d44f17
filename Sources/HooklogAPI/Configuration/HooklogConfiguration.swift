public import HooklogCore
public import HooklogDelivery
public import HooklogJournal
public import Logging

/// Everything `hooklog serve` is configured with; every field has a default.
///
/// `init(reader:)` reads it from swift-configuration (`Config/hooklog.yaml` under `hooklog:`, with
/// `HOOKLOG_*` environment variables winning), keys:
/// - `dataDir` (`HOOKLOG_DATA_DIR`, default `./data`): the LMDB environment's folder.
/// - `listen` (`HOOKLOG_LISTEN`, default `127.0.0.1:8080`): the API's `host:port`.
/// - `adminKey` (`HOOKLOG_ADMIN_KEY`, secret, default none: admin routes refuse everyone).
/// - `allowPrivateUrls` (`HOOKLOG_ALLOW_PRIVATE_URLS`, default `false`): accept `http://` and
///   loopback, private and link-local endpoint URLs (tests and local development).
/// - `retrySchedule` (`HOOKLOG_RETRY_SCHEDULE`, default `5s,5m,30m,2h,5h,10h,10h`), no delay
///   longer than 20 h (`RetrySchedule.longestDelayMs`).
/// - `requestTimeout` (`HOOKLOG_REQUEST_TIMEOUT`, default `10s`).
/// - `maxBodyBytes` (`HOOKLOG_MAX_BODY_BYTES`, default 1 MiB): larger request bodies get 413.
/// - `connectionIdleTimeout` (`HOOKLOG_CONNECTION_IDLE_TIMEOUT`, default `60s`): an API connection
///   with no request in progress this long is closed.
/// - `requestBodyTimeout` (`HOOKLOG_REQUEST_BODY_TIMEOUT`, default `30s`): a request whose body
///   has not arrived this long after its head (pipelined: after the answer before it) gets 408
///   and its connection is closed.
/// - `maxEndpointsPerTenant` (`HOOKLOG_MAX_ENDPOINTS_PER_TENANT`, default 1000): every event fans
///   out to each, in one write.
/// - `replayMaxDeliveries` (`HOOKLOG_REPLAY_MAX_DELIVERIES`, default 50,000): the most deliveries
///   one replay request re-sends, all journaled in one write; `hooklog resend` splits a larger window.
/// - `configDir` (`HOOKLOG_CONFIG_DIR`, default `Config`): wire profiles and event types.
/// - `secretRotationGrace` (`HOOKLOG_SECRET_ROTATION_GRACE`, default `24h`).
/// - `endpointDisableAfter` (`HOOKLOG_ENDPOINT_DISABLE_AFTER`, default `5d`): failing this long
///   without a single success, and never 25 hours without a failure, disables an endpoint.
/// - `maxConcurrentAttempts` (`HOOKLOG_MAX_CONCURRENT_ATTEMPTS`, default 512) and
///   `maxConcurrentAttemptsPerEndpoint` (`HOOKLOG_MAX_CONCURRENT_ATTEMPTS_PER_ENDPOINT`, default 32;
///   a tenant's events' own `webhook_url`s share one such limit per origin), each at least 1.
/// - `logLevel` (`HOOKLOG_LOG_LEVEL`, default `info`).
/// - `midcall.retryCount` (`HOOKLOG_MIDCALL_RETRY_COUNT`, default 1, at most 5): further tries of a
///   mid-call invocation after a 5xx or a timeout.
/// - `midcall.attemptTimeout` (`HOOKLOG_MIDCALL_ATTEMPT_TIMEOUT`, default `10s`): one try's deadline.
/// - `midcall.maxRunningCalls` (`HOOKLOG_MIDCALL_MAX_RUNNING_CALLS`, default 256): past it,
///   `/v1/invoke` answers 503.
/// - `midcall.maxRunningCallsPerTenant` (`HOOKLOG_MIDCALL_MAX_RUNNING_CALLS_PER_TENANT`, default
///   64): past it, that tenant's `/v1/invoke` answers 429.
/// - `midcall.waitingSay` (`HOOKLOG_MIDCALL_WAITING_SAY`): what the assistant says while a call
///   without its own `waiting_message` runs past its budget.
/// - `midcall.fallbackSay` (`HOOKLOG_MIDCALL_FALLBACK_SAY`): what the assistant says when the endpoint
///   fails for good.
/// - `midcall.fallbackNextAction` (`HOOKLOG_MIDCALL_FALLBACK_NEXT_ACTION`, default `transfer`):
///   `transfer` or `voicemail`.
/// - `midcall.fallbackTransferTo` (`HOOKLOG_MIDCALL_FALLBACK_TRANSFER_TO`, default none): where a
///   `transfer` goes, sent as `transfer_to`.
public struct HooklogConfiguration: Sendable {
    /// Where the LMDB environment lives unless configured: the service's and the tools' default.
    public static let defaultDataDirectory = "./data"

    /// The LMDB environment's folder.
    public var dataDirectory: String
    /// The address the API binds to.
    public var host: String
    /// The port the API binds to; 0 takes a free one.
    public var port: Int
    /// The admin key; `nil` refuses every admin route.
    public var adminKey: String?
    /// Whether `http://` and non-public endpoint addresses are accepted.
    public var allowsPrivateURLs: Bool
    /// Delays between attempts after the first.
    public var retrySchedule: RetrySchedule
    /// The deadline of one delivery request, in milliseconds.
    public var requestTimeoutMs: Int64
    /// The largest request body accepted, in bytes.
    public var maxBodyBytes: Int
    /// How long an API connection may sit with no request in progress before it is closed, in
    /// milliseconds: an idle client, or one trickling a request's head, cannot hold a connection
    /// for ever.
    public var connectionIdleTimeoutMs: Int64
    /// How long a request's body may take to arrive after its head, in milliseconds: a client
    /// trickling a body cannot hold a connection and its handler for ever.
    public var requestBodyTimeoutMs: Int64
    /// The folder with `profiles/` and `event-types.json`.
    public var configDirectory: String
    /// How long a rotated-out signing secret keeps signing, in milliseconds.
    public var secretRotationGraceMs: UInt64
    /// How long an endpoint may fail without a success before it is disabled, in milliseconds.
    public var endpointDisableAfterMs: Int64
    /// Attempts in flight at once.
    public var maxConcurrentAttempts: Int
    /// Attempts in flight at once to one endpoint.
    public var maxConcurrentAttemptsPerEndpoint: Int
    /// The most endpoints a tenant may have: each event fans out to every one in one write.
    public var maxEndpointsPerTenant: Int
    /// The most deliveries one replay request re-sends (`ReplayLimits.maxMatchedCount`): they are
    /// journaled in one write, which holds every other write up while it lasts.
    public var replayMaxDeliveries: Int
    /// How long the journal's writer waits, after a commit, for the callers it just answered to
    /// bring their next writes into the same commit, in microseconds. 0 (the default) commits
    /// at once: clients across a network take longer than any useful wait to come back, so
    /// waiting only delays everyone's sync. In-process appenders in a loop gain from ~200.
    public var commitDelayUs: Int
    /// How far ahead of its pages in use the journal keeps its data file zero-filled, in MiB, so
    /// that a commit overwrites blocks rather than grows the file, which would cost a second
    /// sync (of the file's size) on every commit. 0 turns it off.
    public var preallocateMib: Int
    /// The least severe log level written.
    public var logLevel: Logger.Level
    /// How mid-call invocations retry and what they say when they fail (`allowsPrivateNetworks`
    /// follows `allowsPrivateURLs` when the service is built).
    public var midCall: MidCallConfiguration

    /// A configuration; every field is its documented default unless given.
    public init(
        dataDirectory: String = Self.defaultDataDirectory,
        host: String = "127.0.0.1",
        port: Int = 8080,
        adminKey: String? = nil,
        allowsPrivateURLs: Bool = false,
        retrySchedule: RetrySchedule = .standard,
        requestTimeoutMs: Int64 = 10_000,
        maxBodyBytes: Int = 1 << 20,
        connectionIdleTimeoutMs: Int64 = 60_000,
        requestBodyTimeoutMs: Int64 = 30_000,
        configDirectory: String = "Config",
        secretRotationGraceMs: UInt64 = SigningSecrets.defaultGracePeriodMs,
        endpointDisableAfterMs: Int64 = EndpointHealthPolicy.defaultFailingForMs,
        maxConcurrentAttempts: Int = 512,
        maxConcurrentAttemptsPerEndpoint: Int = 32,
        maxEndpointsPerTenant: Int = 1_000,
        replayMaxDeliveries: Int = ReplayLimits().maxMatchedCount,
        commitDelayUs: Int = 0,
        preallocateMib: Int = 64,
        logLevel: Logger.Level = .info,
        midCall: MidCallConfiguration = MidCallConfiguration()
    ) {
        self.dataDirectory = dataDirectory
        self.host = host
        self.port = port
        self.adminKey = adminKey
        self.allowsPrivateURLs = allowsPrivateURLs
        self.retrySchedule = retrySchedule
        self.requestTimeoutMs = requestTimeoutMs
        self.maxBodyBytes = maxBodyBytes
        self.connectionIdleTimeoutMs = connectionIdleTimeoutMs
        self.requestBodyTimeoutMs = requestBodyTimeoutMs
        self.configDirectory = configDirectory
        self.secretRotationGraceMs = secretRotationGraceMs
        self.endpointDisableAfterMs = endpointDisableAfterMs
        self.maxConcurrentAttempts = maxConcurrentAttempts
        self.maxConcurrentAttemptsPerEndpoint = maxConcurrentAttemptsPerEndpoint
        self.maxEndpointsPerTenant = maxEndpointsPerTenant
        self.replayMaxDeliveries = replayMaxDeliveries
        self.commitDelayUs = commitDelayUs
        self.preallocateMib = preallocateMib
        self.logLevel = logLevel
        self.midCall = midCall
    }

    /// `host:port` as configured.
    public var listenAddress: String {
        self.host.contains(":") ? "[\(self.host)]:\(self.port)" : "\(self.host):\(self.port)"
    }
}

/// A configuration value that cannot be used; says which key and why.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// The key and what is wrong with its value.
    public let description: String
}
