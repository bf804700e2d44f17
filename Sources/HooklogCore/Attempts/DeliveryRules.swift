/// The configured rules that turn an attempt's outcome into the next step.
public struct DeliveryRules: Sendable, Hashable {
    /// When to retry, and when to give up.
    public var retry: RetryPolicy
    /// When an endpoint that keeps failing is disabled.
    public var health: EndpointHealthPolicy

    /// - Parameters:
    ///   - retry: the default schedule of DESIGN.md with ±20 % jitter unless given.
    ///   - health: five days without a success unless given.
    public init(retry: RetryPolicy = RetryPolicy(), health: EndpointHealthPolicy = EndpointHealthPolicy()) {
        self.retry = retry
        self.health = health
    }
}
