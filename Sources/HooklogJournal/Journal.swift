import HooklogCore
public import Logging

/// The append-only, hash-chained log of everything Hooklog is told and does.
///
/// Appends from any number of tasks are grouped by one writer thread into a single LMDB
/// transaction, synced once; each caller resumes only after the transaction that holds its
/// records is on disk. A `LogProjector` given at open is applied inside the same transaction,
/// so projections never disagree with the log.
public final class Journal: Sendable {
    /// The databases the journal itself needs in its environment.
    public static let databaseNames = [LogReader.databaseName]

    /// The environment holding the log (and the projections).
    public let environment: LMDBEnvironment
    /// Reads of the log.
    public let reader: LogReader
    private let writerThread: WriterThread
    private let preallocator: DataFilePreallocator?
    private let failure = JournalFailure()

    /// Opens the journal on `environment`, which must have been opened with `databaseNames`
    /// (and the projector's databases).
    public init(
        environment: LMDBEnvironment,
        projector: (any LogProjector)? = nil,
        configuration: JournalConfiguration = JournalConfiguration(),
        logger: Logger
    ) {
        self.environment = environment
        self.reader = LogReader(environment: environment)
        let preallocator = configuration.preallocationBytes > 0
            ? DataFilePreallocator(environment: environment, headroomBytes: configuration.preallocationBytes, logger: logger)
            : nil
        self.preallocator = preallocator
        let committer = UncheckedBox(
            BatchCommitter(
                environment: environment,
                projector: projector,
                preallocator: preallocator,
                configuration: configuration,
                failure: self.failure,
                logger: logger
            )
        )
        self.writerThread = WriterThread(
            name: "hooklog-writer",
            maxBatchRequests: configuration.maxBatchRequests,
            maxBatchDelayNs: UInt64(max(0, configuration.maxBatchDelayUs)) * 1_000
        ) { batch in
            committer.value.commit(batch)
        }
    }

    deinit {
        self.writerThread.requestStop()
        self.preallocator?.requestStop()
    }

    /// Runs `body` on the writer thread inside a write transaction shared with other callers, and
    /// returns its result once that transaction is synced to disk.
    ///
    /// `body` may run more than once (a batch is replayed when the map grows or a batch-mate
    /// fails) and must change nothing but the `LogWriter`. If it throws, nothing it wrote lands.
    public func write<Result: Sendable>(_ body: @escaping @Sendable (inout LogWriter) throws -> Result) async throws -> Result {
        try await withUnsafeThrowingContinuation { continuation in
            let request = ContinuationWriteRequest(body: body, continuation: continuation)
            if !self.writerThread.submit(request) {
                continuation.resume(throwing: JournalError.closed)
            }
        }
    }

    /// How many `write` requests wait for the writer thread (for tests that order their requests).
    var queuedWriteCount: Int { self.writerThread.queuedCount }

    /// Appends `payloads` as consecutive records; returns their sequences once synced.
    public func append(_ payloads: [[UInt8]]) async throws -> [UInt64] {
        try await self.write { writer in
            try payloads.map { try writer.append($0) }
        }
    }

    /// Appends one record; returns its sequence once synced.
    public func append(_ payload: [UInt8]) async throws -> UInt64 {
        try await self.write { writer in try writer.append(payload) }
    }

    /// Waits until the journal fails for good (see `JournalFailure`) and returns why; `nil` if
    /// the waiting task is cancelled first. The process should then exit, to be restarted.
    public func failedForGood() async -> (any Error)? {
        await self.failure.wait()
    }

    /// Finishes what is queued, then stops taking writes.
    public func close() async {
        await self.writerThread.stop()
        await self.preallocator?.stop()
    }
}

/// Hands the committer to the writer thread, the only place that ever touches it.
private final class UncheckedBox<Value>: @unchecked Sendable {
    // @unchecked: the value is used by exactly one thread (the writer) after it is built.
    let value: Value
    init(_ value: Value) { self.value = value }
}
