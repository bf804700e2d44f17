import HooklogCore
import HooklogDelivery

extension HooklogConfiguration {
    /// How long a graceful stop may take before what is left is cancelled, in milliseconds. The
    /// services stop one after another, so their longest waits add up: the scheduler's attempts
    /// in flight (a DNS check and the request timeout), then the API's requests in progress (the
    /// longest: an invocation's budget and the wait for its start to be journaled, or a body
    /// trickling in), then the invoker's running calls (a DNS check and one try, then cut off
    /// and journaled as interrupted), and 10 s for the clients, the metrics and the journal.
    public var longestGracefulStopMs: Int64 {
        let lookupMs = DestinationGuard.defaultLookupTimeoutMs
        let attemptsMs = lookupMs + self.requestTimeoutMs
        let pendingStartWaitMs = MidCallInvoker.longestStartWaitBeforePending.inMilliseconds
        let requestsMs = max(InvocationRoutes.budgetRangeMs.upperBound + pendingStartWaitMs, self.requestBodyTimeoutMs)
        let invocationsMs = MidCallInvoker.drainLimit(for: self.midCall).inMilliseconds
        return attemptsMs + requestsMs + invocationsMs + 10_000
    }
}
