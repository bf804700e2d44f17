import Synchronization

/// Whether the journal has failed for good, and who waits to hear it.
///
/// After LMDB panics (a meta page that could not be written) it refuses every transaction until
/// the environment is opened again, and after a map that could not be remapped any transaction
/// would read unmapped memory. Neither heals in this process: the journal refuses all further
/// writes without touching LMDB, and the service exits so that a supervisor restarts it (LMDB
/// then recovers to its last committed state).
final class JournalFailure: Sendable {
    private struct State {
        var error: (any Error)?
        var waiters: [UInt64: CheckedContinuation<(any Error)?, Never>] = [:]
        var nextToken: UInt64 = 0
    }

    private let state = Mutex(State())

    /// The error the journal failed with, if it has.
    var error: (any Error)? {
        self.state.withLock { $0.error }
    }

    /// Records the failure (the first one stays) and tells every waiter.
    func fail(_ error: any Error) {
        let waiters = self.state.withLock { state -> [CheckedContinuation<(any Error)?, Never>] in
            guard state.error == nil else { return [] }
            state.error = error
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: error) }
    }

    /// Waits until the journal fails, and returns why; `nil` if the waiting task is cancelled first.
    func wait() async -> (any Error)? {
        let token = self.state.withLock { state -> UInt64 in
            state.nextToken += 1
            return state.nextToken
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let failed = self.state.withLock { state -> (any Error)?? in
                    if let error = state.error { return .some(error) }
                    if Task.isCancelled { return .some(nil) }
                    state.waiters[token] = continuation
                    return nil
                }
                if let failed { continuation.resume(returning: failed) }
            }
        } onCancel: {
            let waiter = self.state.withLock { $0.waiters.removeValue(forKey: token) }
            waiter?.resume(returning: nil)
        }
    }
}
