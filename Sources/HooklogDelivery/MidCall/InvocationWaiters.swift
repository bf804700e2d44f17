import HooklogCore
import Synchronization

/// The invocations of this process that have not been journaled as finished, and who waits for them.
final class InvocationWaiters: Sendable {
    private typealias Waiter = AsyncStream<InvocationOutcome>.Continuation

    private struct State {
        var pending: [InvocationID: [UInt64: Waiter]] = [:]
        var nextToken: UInt64 = 0
    }

    private let state = Mutex(State())

    /// Notes a new invocation as pending.
    func open(_ id: InvocationID) {
        self.state.withLock { $0.pending[id] = [:] }
    }

    /// Ends `id`: every waiter gets `outcome`.
    func finish(_ id: InvocationID, _ outcome: InvocationOutcome) {
        let waiters = self.state.withLock { $0.pending.removeValue(forKey: id) } ?? [:]
        for waiter in waiters.values {
            waiter.yield(outcome)
            waiter.finish()
        }
    }

    /// Whether `id` is running in this process (not yet finished).
    func isOpen(_ id: InvocationID) -> Bool {
        self.state.withLock { $0.pending[id] != nil }
    }

    /// How many wait for `id` now.
    func waiterCount(for id: InvocationID) -> Int {
        self.state.withLock { $0.pending[id]?.count ?? 0 }
    }

    /// Waits up to `timeout` for `id` to finish; `.pending` if it has not by then. `nil` when `id`
    /// is not running here (it finished and was journaled already, or never was): read the store.
    func wait(for id: InvocationID, upTo timeout: Duration) async -> InvocationOutcome? {
        // The first value yielded wins: the outcome, or `.pending` from the timer.
        let (outcomes, waiter) = AsyncStream<InvocationOutcome>.makeStream(bufferingPolicy: .bufferingOldest(1))
        let token = self.state.withLock { state -> UInt64? in
            guard state.pending[id] != nil else { return nil }
            let token = state.nextToken
            state.nextToken += 1
            state.pending[id]![token] = waiter
            return token
        }
        guard let token else { return nil }
        // A waiter that gives up leaves: polling a long invocation must not pile waiters up.
        defer { self.state.withLock { _ = $0.pending[id]?.removeValue(forKey: token) } }
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
