import HooklogCore
import Synchronization

/// The mid-call calls still running after their caller was answered, so that a stop can wait
/// for them (or cut them off) before the client and the store close.
final class RunningCalls: Sendable {
    private struct State {
        var tasks: [UInt64: Task<Void, Never>] = [:]
        /// Places taken by calls about to start (`reserve`), not yet in `tasks`.
        var reserved = 0
        /// Places each tenant's calls hold, about to start or running.
        var placesByTenant: [TenantID: Int] = [:]
        var nextId: UInt64 = 0
        var waitingForNone: [CheckedContinuation<Void, Never>] = []
        /// Set by `cancelAll`: a call started afterwards is cut off at once.
        var isCancelled = false

        /// One place fewer for `tenantId`; a tenant with none is forgotten.
        mutating func freePlace(of tenantId: TenantID) {
            let places = self.placesByTenant[tenantId, default: 1] - 1
            self.placesByTenant[tenantId] = places > 0 ? places : nil
        }
    }

    private let state = Mutex(State())

    /// How many are running.
    var count: Int { self.state.withLock { $0.tasks.count } }

    /// Whether `reserve` took a place, or which limit was reached.
    enum Reservation: Equatable {
        case taken
        case allPlacesTaken
        case tenantsPlacesTaken
    }

    /// Takes a place for a call of `tenantId` about to start, unless `limit` calls run or are
    /// about to, or `tenantLimit` of that tenant's. Checked and taken under one lock, so that
    /// calls arriving together never pass a limit. The place is then handed to `start`, or given
    /// back with `release`.
    func reserve(for tenantId: TenantID, upTo limit: Int, tenantLimit: Int) -> Reservation {
        self.state.withLock { state in
            guard state.tasks.count + state.reserved < limit else { return .allPlacesTaken }
            guard state.placesByTenant[tenantId, default: 0] < tenantLimit else { return .tenantsPlacesTaken }
            state.reserved += 1
            state.placesByTenant[tenantId, default: 0] += 1
            return .taken
        }
    }

    /// Gives back a place `reserve` took for a call of `tenantId` that does not start.
    func release(for tenantId: TenantID) {
        self.state.withLock { state in
            precondition(state.reserved > 0, "a place is released that was never reserved")
            state.reserved -= 1
            state.freePlace(of: tenantId)
        }
    }

    /// Runs `body`, in the place `reserve` took for it, as a task of its own, counted until it ends.
    func start(for tenantId: TenantID, _ body: @escaping @Sendable () async -> Void) {
        self.state.withLock { state in
            precondition(state.reserved > 0, "a call starts without the place reserve takes")
            state.reserved -= 1
            let id = state.nextId
            state.nextId += 1
            // Created under the lock: the task's own removal waits for its insertion.
            let task = Task {
                await body()
                let waiting = self.state.withLock { state -> [CheckedContinuation<Void, Never>] in
                    state.tasks.removeValue(forKey: id)
                    state.freePlace(of: tenantId)
                    guard state.tasks.isEmpty else { return [] }
                    defer { state.waitingForNone = [] }
                    return state.waitingForNone
                }
                for continuation in waiting { continuation.resume() }
            }
            state.tasks[id] = task
            if state.isCancelled { task.cancel() }
        }
    }

    /// Returns once none is running.
    func waitUntilNoneRuns() async {
        await withCheckedContinuation { continuation in
            let isIdle = self.state.withLock { state in
                if state.tasks.isEmpty { return true }
                state.waitingForNone.append(continuation)
                return false
            }
            if isIdle { continuation.resume() }
        }
    }

    /// Cancels every running call, and any started from now on (each then ends, as
    /// `interrupted`, and is journaled).
    func cancelAll() {
        let tasks = self.state.withLock { state in
            state.isCancelled = true
            return Array(state.tasks.values)
        }
        for task in tasks { task.cancel() }
    }
}
