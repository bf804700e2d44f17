import Foundation
import Logging

/// Keeps the journal's data file zero-filled `headroomBytes` ahead of the pages in use, on a
/// thread of its own, so that commits overwrite blocks instead of growing the file and syncing
/// its length each time (see `DataFileTail`).
///
/// The writer nudges it after every commit; it tops the file up once half the headroom is
/// used, so that more than half of it is always left. A failure (a full disk) is logged and
/// tried again after as much growth; meanwhile commits simply grow the file themselves.
final class DataFilePreallocator: @unchecked Sendable {
    // @unchecked: every mutable field is guarded by `control.condition`.
    private let control = ThreadControl()
    private let environment: LMDBEnvironment
    private let headroomBytes: Int
    private let logger: Logger
    /// Once the pages in use reach this, the file is topped up.
    private var refillAtBytes = 0
    private var isRequested = true

    /// - Parameter headroomBytes: rounded up to whole pieces (`DataFileTail.stepBytes`), so
    ///   that targets stay page-aligned and half the headroom is never zero.
    init(environment: LMDBEnvironment, headroomBytes: Int, logger: Logger) {
        precondition(headroomBytes > 0, "a preallocator keeps some headroom")
        let step = DataFileTail.stepBytes
        self.environment = environment
        self.headroomBytes = (headroomBytes + step - 1) / step * step
        self.logger = logger
        self.control.start(name: "hooklog-prefill") { [self] in self.run() }
    }

    /// Called after a commit: wakes the thread if the file needs topping up.
    func nudge() {
        let usedBytes = self.environment.usedBytes
        let condition = self.control.condition
        condition.lock()
        defer { condition.unlock() }
        if usedBytes >= self.refillAtBytes && !self.isRequested {
            self.isRequested = true
            condition.signal()
        }
    }

    /// Stops the thread once the piece it is writing is done (cutting its pause short), and waits until it has.
    func stop() async {
        await self.control.stop()
    }

    /// Stops the thread once the piece it is writing is done, without waiting.
    func requestStop() {
        self.control.requestStop()
    }

    private func run() {
        while self.nextRequest() {
            let usedBytes = self.environment.usedBytes
            let targetBytes = usedBytes + self.headroomBytes
            do {
                try self.topUp(toBytes: targetBytes)
            } catch {
                self.logger.warning("journal could not preallocate its data file", metadata: ["error": "\(error)", "target.bytes": "\(targetBytes)"])
            }
            let refillAtBytes = usedBytes + self.headroomBytes / 2
            let isOverdue = self.environment.usedBytes >= refillAtBytes  // the log outgrew this top-up
            self.control.condition.lock()
            self.refillAtBytes = refillAtBytes
            self.isRequested = isOverdue
            self.control.condition.unlock()
        }
    }

    /// Appends zeros piece by piece, each synced, pausing three times as long as each piece
    /// took: the zeros then take at most a quarter of the device and never crowd out commits,
    /// and still outrun the log's growth many times over.
    private func topUp(toBytes targetBytes: Int) throws {
        while !self.isStopping() {
            let startedAt = ContinuousClock.now
            guard try self.environment.appendZeros(towardBytes: targetBytes) else { return }
            self.pause(for: startedAt.duration(to: .now) * 3)
        }
    }

    /// Waits `duration`, or until a stop is asked for: a slow disk makes the pause long, and a
    /// stop must not wait it out.
    private func pause(for duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let deadlineNs = MonotonicCondition.nowNs() + UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
        let condition = self.control.condition
        condition.lock()
        defer { condition.unlock() }
        while !self.control.isStopping, condition.wait(untilNs: deadlineNs) {}
    }

    /// Waits for a nudge; `false` when stopping.
    private func nextRequest() -> Bool {
        let condition = self.control.condition
        condition.lock()
        defer { condition.unlock() }
        while !self.isRequested && !self.control.isStopping {
            condition.wait()
        }
        return !self.control.isStopping
    }

    private func isStopping() -> Bool {
        self.control.condition.lock()
        defer { self.control.condition.unlock() }
        return self.control.isStopping
    }
}
