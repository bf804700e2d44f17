import Foundation

/// How the journal batches and timestamps its writes.
public struct JournalConfiguration: Sendable {
    /// The most requests one transaction takes; the rest wait for the next.
    public var maxBatchRequests: Int
    /// How long the writer may wait after a commit for the callers it just woke to come back,
    /// so that they share the next commit rather than split into half-size batches.
    public var maxBatchDelayUs: Int
    /// How far ahead of the pages in use the data file is kept zero-filled, so that commits
    /// overwrite blocks instead of growing the file (which costs a second sync each). 0 turns it off.
    public var preallocationBytes: Int
    /// How often the writer frees the reader slots of processes that died in a read transaction
    /// (see `LMDBEnvironment.clearStaleReaders`), in milliseconds; also before the map grows.
    public var staleReaderCheckIntervalMs: Int64
    /// The receipt clock, in milliseconds since 1970. Tests pass a fixed one.
    public var clock: @Sendable () -> UInt64
    /// Called on the writer thread after each synced commit; keep it cheap.
    public var onCommit: (@Sendable (CommitStatistics) -> Void)?
    /// Called on the writer thread with the error of each commit that failed (a full or failing
    /// disk mostly, or a map that cannot grow), whose requests were all refused; keep it cheap.
    public var onCommitFailure: (@Sendable (any Error) -> Void)?

    /// - Parameters:
    ///   - maxBatchRequests: 4,096 unless given.
    ///   - maxBatchDelayUs: 200 µs unless given; 0 commits whatever is queued at once.
    ///   - preallocationBytes: 0 (off) unless given.
    ///   - staleReaderCheckIntervalMs: 5 s unless given.
    ///   - clock: the system's wall clock unless given.
    ///   - onCommit: nothing unless given.
    ///   - onCommitFailure: nothing unless given.
    public init(
        maxBatchRequests: Int = 4096,
        maxBatchDelayUs: Int = 200,
        preallocationBytes: Int = 0,
        staleReaderCheckIntervalMs: Int64 = 5_000,
        clock: @escaping @Sendable () -> UInt64 = JournalConfiguration.wallClockMs,
        onCommit: (@Sendable (CommitStatistics) -> Void)? = nil,
        onCommitFailure: (@Sendable (any Error) -> Void)? = nil
    ) {
        self.maxBatchRequests = maxBatchRequests
        self.maxBatchDelayUs = maxBatchDelayUs
        self.preallocationBytes = preallocationBytes
        self.staleReaderCheckIntervalMs = staleReaderCheckIntervalMs
        self.clock = clock
        self.onCommit = onCommit
        self.onCommitFailure = onCommitFailure
    }

    /// Milliseconds since 1970 by the system's wall clock.
    @Sendable
    public static func wallClockMs() -> UInt64 {
        UInt64(Date().timeIntervalSince1970 * 1000)
    }
}
