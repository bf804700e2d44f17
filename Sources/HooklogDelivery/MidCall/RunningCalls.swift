import Synchronization

/// The mid-call calls still running after their caller was answered, so that a stop can wait
/// for them (or cut them off) before the client and the store close.
final class RunningCalls: Sendable {
    private struct State {
        var tasks: [UInt64: Task<Void, Never>] = [:]
        var nextId: UInt64 = 0
        var waitingForNone: [CheckedContinuation<Void, Never>] = []
        /// Set by `cancelAll`: a call started afterwards is cut off at once.
        var isCancelled = false
    }

    private let state = Mutex(State())

    /// How many are running.
    var count: Int { self.state.withLock { $0.tasks.count } }

    /// Runs `body` as a task of its own, counted until it ends.
    func start(_ body: @escaping @Sendable () async -> Void) {
        self.state.withLock { state in
            let id = state.nextId
            state.nextId += 1
            // Created under the lock: the task's own removal waits for its insertion.
            let task = Task {
                await body()
                let waiting = self.state.withLock { state -> [CheckedContinuation<Void, Never>] in
                    state.tasks.removeValue(forKey: id)
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
