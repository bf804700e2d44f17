/// The one thread that owns LMDB write transactions.
///
/// Callers queue requests from any thread or task; the thread drains everything queued (up to
/// `maxBatchRequests`) and hands it to `process` as one batch, so that many concurrent callers
/// share one commit and one sync. After a commit it wakes its callers itself and then waits a
/// little (at most `maxBatchDelayNs`) for as many requests as it just woke: callers in a loop
/// come straight back, and without the wait they would split into two half-size batches.
final class WriterThread: @unchecked Sendable {
    // @unchecked: every mutable field is guarded by `control.condition`.
    private let control = ThreadControl()
    private var queue: [any WriteRequest] = []
    private var expectedRequests = 0
    private let maxBatchRequests: Int
    private let maxBatchDelayNs: UInt64

    /// - Parameter process: commits a batch and returns the requests that landed.
    init(
        name: String,
        maxBatchRequests: Int,
        maxBatchDelayNs: UInt64,
        process: @escaping @Sendable ([any WriteRequest]) -> [any WriteRequest]
    ) {
        precondition(maxBatchRequests > 0, "a batch holds at least one request")
        self.maxBatchRequests = maxBatchRequests
        self.maxBatchDelayNs = maxBatchDelayNs
        self.control.start(name: name) { [self] in self.run(process) }
    }

    /// Queues `request`; `false` once the thread is stopping.
    func submit(_ request: any WriteRequest) -> Bool {
        let condition = self.control.condition
        condition.lock()
        defer { condition.unlock() }
        guard !self.control.isStopping else { return false }
        self.queue.append(request)
        condition.signal()
        return true
    }

    /// How many requests wait for the thread: a test orders its requests by it.
    var queuedCount: Int {
        self.control.condition.lock()
        defer { self.control.condition.unlock() }
        return self.queue.count
    }

    /// Asks the thread to finish what is queued and exit, and waits until it has.
    func stop() async {
        await self.control.stop()
    }

    /// Asks the thread to finish what is queued and exit, without waiting.
    func requestStop() {
        self.control.requestStop()
    }

    private func run(_ process: ([any WriteRequest]) -> [any WriteRequest]) {
        while let batch = self.nextBatch() {
            let landed = process(batch)
            self.control.condition.lock()
            self.expectedRequests = min(landed.count + self.queue.count, self.maxBatchRequests)
            self.control.condition.unlock()
            for request in landed { request.succeed() }
        }
    }

    /// Waits for work; `nil` when stopping and nothing is left.
    private func nextBatch() -> [any WriteRequest]? {
        let condition = self.control.condition
        condition.lock()
        defer { condition.unlock() }
        while self.queue.isEmpty {
            if self.control.isStopping { return nil }
            condition.wait()
        }
        if self.maxBatchDelayNs > 0 && self.queue.count < self.expectedRequests {
            let deadlineNs = MonotonicCondition.nowNs() + self.maxBatchDelayNs
            while self.queue.count < self.expectedRequests && !self.control.isStopping {
                if !condition.wait(untilNs: deadlineNs) { break }
            }
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
