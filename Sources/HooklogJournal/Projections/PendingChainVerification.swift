import Foundation
import Synchronization

/// A walk of the hash chain running on a thread of its own, so that a rebuild reduces records
/// on one processor while the chain is verified on the others; only the first flush, which
/// empties the tables, has to wait for the verdict.
final class PendingChainVerification: Sendable {
    private let verdict = Mutex<Result<ChainVerification, any Error>?>(nil)
    private let finished = DispatchSemaphore(value: 0)

    /// Starts verifying `reader`'s log at once.
    init(_ reader: LogReader) {
        Thread.detachNewThread { [self] in
            let outcome = Result { try ChainVerifier(reader: reader).verify() }
            self.verdict.withLock { $0 = outcome }
            self.finished.signal()
        }
    }

    /// Waits for the walk to end (the log is the walk's to read until then), and gives its
    /// verdict, as often as asked.
    func wait() throws -> ChainVerification {
        self.finished.wait()
        self.finished.signal()  // for the next caller
        return try self.verdict.withLock { $0! }.get()
    }
}
