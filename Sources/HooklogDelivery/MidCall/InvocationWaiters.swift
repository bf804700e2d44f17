import HooklogCore
import Synchronization

/// The invocations of this process that have not been journaled as finished, and who waits for them.
final class InvocationWaiters: Sendable {
    private typealias Waiter = AsyncStream<InvocationOutcome>.Continuation

    private let pending = Mutex<[InvocationID: [Waiter]]>([:])

    /// Notes a new invocation as pending.
    func open(_ id: InvocationID) {
        self.pending.withLock { $0[id] = [] }
    }

    /// Ends `id`: every waiter gets `outcome`.
    func finish(_ id: InvocationID, _ outcome: InvocationOutcome) {
        let waiters = self.pending.withLock { $0.removeValue(forKey: id) } ?? []
        for waiter in waiters {
            waiter.yield(outcome)
            waiter.finish()
        }
    }

    /// Waits up to `timeout` for `id` to finish; `.pending` if it has not by then. `nil` when `id`
    /// is not running here (it finished and was journaled already, or never was): read the store.
    func wait(for id: InvocationID, upTo timeout: Duration) async -> InvocationOutcome? {
        // The first value yielded wins: the outcome, or `.pending` from the timer.
        let (outcomes, waiter) = AsyncStream<InvocationOutcome>.makeStream(bufferingPolicy: .bufferingOldest(1))
        let registered = self.pending.withLock { pending -> Bool in
            guard pending[id] != nil else { return false }
            pending[id]!.append(waiter)
            return true
        }
        guard registered else { return nil }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            waiter.yield(.pending)
            waiter.finish()
        }
        defer { timer.cancel() }
        for await outcome in outcomes { return outcome }
        return .pending
    }
}
