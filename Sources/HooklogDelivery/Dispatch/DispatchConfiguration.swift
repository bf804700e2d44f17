public import HooklogCore

/// How attempts are sent and how many at once.
public struct DispatchConfiguration: Sendable {
    /// The deadline of one request (`HOOKLOG_REQUEST_TIMEOUT`).
    public var requestTimeoutMs: Int64
    /// Attempts in flight at once, over all endpoints.
    public var maxConcurrentAttempts: Int
    /// Attempts in flight at once to one endpoint (and to one inline URL).
    public var maxConcurrentAttemptsPerEndpoint: Int
    /// Retry schedule and endpoint health.
    public var rules: DeliveryRules
    /// `HOOKLOG_ALLOW_PRIVATE_URLS`: whether loopback and private addresses may be sent to.
    public var allowsPrivateNetworks: Bool
    /// The most due deliveries one scan of the whole due index reads past its room, looking for
    /// targets below their limit; the next scan goes on where a full one stopped.
    public var dueScanWindow: Int
    /// Where destinations' hosts are looked up: the process's resolver unless a test stands in.
    package var hostResolver = HostResolver.shared

    /// - Parameters:
    ///   - requestTimeoutMs: 10 s unless given.
    ///   - maxConcurrentAttempts: 2,048 unless given (attempts wait mostly on synced commits).
    ///   - maxConcurrentAttemptsPerEndpoint: 128 unless given.
    ///   - rules: DESIGN.md's schedule and a five-day health period unless given.
    ///   - allowsPrivateNetworks: `false` unless given.
    ///   - dueScanWindow: 1,024 unless given.
    public init(
        requestTimeoutMs: Int64 = 10_000,
        maxConcurrentAttempts: Int = 2_048,
        maxConcurrentAttemptsPerEndpoint: Int = 128,
        rules: DeliveryRules = DeliveryRules(),
        allowsPrivateNetworks: Bool = false,
        dueScanWindow: Int = 1_024
    ) {
        precondition(dueScanWindow > 0, "a scan reads at least one due delivery")
        self.requestTimeoutMs = requestTimeoutMs
        self.maxConcurrentAttempts = maxConcurrentAttempts
        self.maxConcurrentAttemptsPerEndpoint = maxConcurrentAttemptsPerEndpoint
        self.rules = rules
        self.allowsPrivateNetworks = allowsPrivateNetworks
        self.dueScanWindow = dueScanWindow
    }
}
