/// Disables an endpoint that has failed for too long without a single success: through one run
/// of failures, which 25 hours without a failed attempt end (`EndpointState.failingSinceMs(asOfMs:)`).
public struct EndpointHealthPolicy: Hashable, Sendable {
    /// The default period: 5 days.
    public static let defaultFailingForMs: Int64 = 5 * 24 * 60 * 60 * 1000

    /// The event type emitted when Hooklog disables an endpoint.
    public static let disabledEventType = "endpoint.disabled"

    /// How long an endpoint may fail without a success before it is disabled.
    public var failingForMs: Int64

    /// A policy that disables after `failingForMs`.
    public init(failingForMs: Int64 = Self.defaultFailingForMs) {
        self.failingForMs = max(0, failingForMs)
    }

    /// The instant an endpoint failing since `failingSinceMs` is due to be disabled (if nothing succeeds before).
    public func disableAtMs(failingSinceMs: Int64) -> Int64 {
        let (dueMs, overflow) = failingSinceMs.addingReportingOverflow(self.failingForMs)
        return overflow ? Int64.max : dueMs
    }

    /// Whether an endpoint whose failures began at `failingSinceMs` (`nil`: its last attempt succeeded)
    /// must be disabled at `nowMs`.
    public func shouldDisable(failingSinceMs: Int64?, nowMs: Int64) -> Bool {
        guard let failingSinceMs else { return false }
        return nowMs >= self.disableAtMs(failingSinceMs: failingSinceMs)
    }
}
