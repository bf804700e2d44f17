import Foundation

/// The one thread that owns LMDB write transactions.
///
/// Callers queue requests from any thread or task; the thread drains everything queued (up to
/// `maxBatchRequests`) and hands it to `process` as one batch, so that many concurrent callers
/// share one commit and one sync.
final class WriterThread: @unchecked Sendable {
    // @unchecked: every mutable field is guarded by `condition`.
    private let condition = NSCondition()
    private var queue: [WriteRequest] = []
    private var isStopping = false
    private var hasExited = false
    private var exitWaiters: [CheckedContinuation<Void, Never>] = []
    private let maxBatchRequests: Int

    init(name: String, maxBatchRequests: Int, process: @escaping @Sendable ([WriteRequest]) -> Void) {
        precondition(maxBatchRequests > 0, "a batch holds at least one request")
        self.maxBatchRequests = maxBatchRequests
        let thread = Thread { [self] in
            self.run(process)
        }
        thread.name = name
        thread.start()
    }

    /// Queues `request`; `false` once the thread is stopping.
    func submit(_ request: WriteRequest) -> Bool {
        self.condition.lock()
        defer { self.condition.unlock() }
        guard !self.isStopping else { return false }
        self.queue.append(request)
        self.condition.signal()
        return true
    }

    /// Asks the thread to finish what is queued and exit, and waits until it has.
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

    /// Asks the thread to finish what is queued and exit, without waiting.
    func requestStop() {
        self.condition.lock()
        self.isStopping = true
        self.condition.signal()
        self.condition.unlock()
    }

    private func run(_ process: ([WriteRequest]) -> Void) {
        while let batch = self.nextBatch() {
            process(batch)
        }
        self.condition.lock()
        self.hasExited = true
        let waiters = self.exitWaiters
        self.exitWaiters = []
        self.condition.unlock()
        for waiter in waiters { waiter.resume() }
    }

    /// Waits for work; `nil` when stopping and nothing is left.
    private func nextBatch() -> [WriteRequest]? {
        self.condition.lock()
        defer { self.condition.unlock() }
        while self.queue.isEmpty {
            if self.isStopping { return nil }
            self.condition.wait()
        }
        if self.queue.count <= self.maxBatchRequests {
            defer { self.queue = [] }
            return self.queue
        }
        let batch = Array(self.queue.prefix(self.maxBatchRequests))
        self.queue.removeFirst(self.maxBatchRequests)
        return batch
    }
}
