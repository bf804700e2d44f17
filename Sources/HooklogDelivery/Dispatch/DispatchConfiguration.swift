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

    /// - Parameters:
    ///   - requestTimeoutMs: 10 s unless given.
    ///   - maxConcurrentAttempts: 2,048 unless given (attempts wait mostly on synced commits).
    ///   - maxConcurrentAttemptsPerEndpoint: 128 unless given.
    ///   - rules: DESIGN.md's schedule and a five-day health period unless given.
    ///   - allowsPrivateNetworks: `false` unless given.
    public init(
        requestTimeoutMs: Int64 = 10_000,
        maxConcurrentAttempts: Int = 2_048,
        maxConcurrentAttemptsPerEndpoint: Int = 128,
        rules: DeliveryRules = DeliveryRules(),
        allowsPrivateNetworks: Bool = false
    ) {
        self.requestTimeoutMs = requestTimeoutMs
        self.maxConcurrentAttempts = maxConcurrentAttempts
        self.maxConcurrentAttemptsPerEndpoint = maxConcurrentAttemptsPerEndpoint
        self.rules = rules
        self.allowsPrivateNetworks = allowsPrivateNetworks
    }
}
