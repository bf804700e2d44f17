import Foundation

/// The lock, the wake-ups and the stop handshake of one of the journal's own threads.
///
/// The thread's owner guards its own state with `condition` too, so that work and a request to
/// stop wake the thread the same way. `stop` lets async callers wait for the thread to finish.
final class ThreadControl: @unchecked Sendable {
    // @unchecked: every mutable field is guarded by `condition`.
    let condition = MonotonicCondition()
    /// Whether a stop was asked for; read under `condition`.
    private(set) var isStopping = false
    private var hasExited = false
    private var exitWaiters: [CheckedContinuation<Void, Never>] = []

    /// Starts a thread called `name` (at most 15 bytes: only then does Linux show it in `top -H`)
    /// that runs `body`, which returns once `isStopping` is set and its work is done.
    func start(name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread { [self] in
            // Named from inside: only then does Linux take the name.
            Thread.current.name = name
            body()
            self.markExited()
        }
        thread.start()
    }

    /// Asks the thread to stop, and waits until it has.
    func stop() async {
        await withCheckedContinuation { continuation in
            self.condition.lock()
            self.isStopping = true
            if self.hasExited {
                self.condition.unlock()
                continuation.resume()
                return
            }
            self.exitWaiters.append(continuation)
            self.condition.signal()
            self.condition.unlock()
        }
    }

    /// Asks the thread to stop, without waiting.
    func requestStop() {
        self.condition.lock()
        self.isStopping = true
        self.condition.signal()
        self.condition.unlock()
    }

    private func markExited() {
        self.condition.lock()
        self.hasExited = true
        let waiters = self.exitWaiters
        self.exitWaiters = []
        self.condition.unlock()
        for waiter in waiters { waiter.resume() }
    }
}
