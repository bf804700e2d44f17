import HooklogCore
import Synchronization

/// The invocations of this process that have not been journaled as finished, how those that
/// have an answer ended, and who waits for them.
///
/// An invocation is *settled* when its endpoint answers, which can be before its result is
/// journaled (the answer goes to the caller first): from then on a reader gets the outcome from
/// here, not `pending` from the store. It is *closed* once the result is journaled.
final class InvocationWaiters: Sendable {
    private typealias Waiter = AsyncStream<InvocationOutcome>.Continuation

    private struct Entry {
        let tenantId: TenantID
        /// What its caller said to say while it runs.
        let waitingMessage: String?
        var outcome: InvocationOutcome?
        var waiters: [UInt64: Waiter] = [:]
    }

    private struct State {
        var entries: [InvocationID: Entry] = [:]
        var nextToken: UInt64 = 0
    }

    private let state = Mutex(State())

    /// Notes a new invocation of `tenantId` as running, with its caller's waiting message.
    func open(_ id: InvocationID, of tenantId: TenantID, waitingMessage: String?) {
        self.state.withLock { $0.entries[id] = Entry(tenantId: tenantId, waitingMessage: waitingMessage) }
    }

    /// The tenant of `id` while it is open here; `nil` otherwise.
    func tenant(of id: InvocationID) -> TenantID? {
        self.state.withLock { $0.entries[id]?.tenantId }
    }

    /// The waiting message of `id` while it is open here; `nil` otherwise, or when it has none.
    func waitingMessage(of id: InvocationID) -> String? {
        self.state.withLock { $0.entries[id]?.waitingMessage }
    }

    /// Records how `id` ended and wakes its waiters; the first outcome recorded stays.
    func settle(_ id: InvocationID, _ outcome: InvocationOutcome) {
        let waiters = self.state.withLock { state -> [UInt64: Waiter] in
            guard var entry = state.entries[id], entry.outcome == nil else { return [:] }
            let waiters = entry.waiters
            entry.outcome = outcome
            entry.waiters = [:]
            state.entries[id] = entry
            return waiters
        }
        for waiter in waiters.values {
            waiter.yield(outcome)
            waiter.finish()
        }
    }

    /// Forgets `id`, its result journaled (or never to be): readers go to the store.
    func close(_ id: InvocationID) {
        // Every path settles first, so no waiter is left behind.
        self.state.withLock { _ = $0.entries.removeValue(forKey: id) }
    }

    /// Whether `id` is running in this process (not yet closed).
    func isOpen(_ id: InvocationID) -> Bool {
        self.state.withLock { $0.entries[id] != nil }
    }

    /// How many wait for `id` now.
    func waiterCount(for id: InvocationID) -> Int {
        self.state.withLock { $0.entries[id]?.waiters.count ?? 0 }
    }

    /// Waits up to `timeout` for `id` to settle; `.pending` if it has not by then. `nil` when `id`
    /// is not open here (it finished and was journaled already, or never was): read the store.
    func wait(for id: InvocationID, upTo timeout: Duration) async -> InvocationOutcome? {
        // The first value yielded wins: the outcome, or `.pending` from the timer.
        let (outcomes, waiter) = AsyncStream<InvocationOutcome>.makeStream(bufferingPolicy: .bufferingOldest(1))
        enum Registration { case notOpen, settled(InvocationOutcome), waiting(token: UInt64) }
        let registration = self.state.withLock { state -> Registration in
            guard let entry = state.entries[id] else { return .notOpen }
            if let outcome = entry.outcome { return .settled(outcome) }
            let token = state.nextToken
            state.nextToken += 1
            state.entries[id]!.waiters[token] = waiter
            return .waiting(token: token)
        }
        let token: UInt64
        switch registration {
        case .notOpen: return nil
        case .settled(let outcome): return outcome
        case .waiting(let registered): token = registered
        }
        // A waiter that gives up leaves: polling a long invocation must not pile waiters up.
        defer { self.state.withLock { _ = $0.entries[id]?.waiters.removeValue(forKey: token) } }
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
