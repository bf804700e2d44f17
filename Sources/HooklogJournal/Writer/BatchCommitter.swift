import HooklogCore
import Logging

/// What one committed batch cost; reported to `JournalConfiguration.onCommit`.
public struct CommitStatistics: Sendable {
    /// Requests in the batch that landed.
    public let requestCount: Int
    /// Entries the batch appended.
    public let entryCount: UInt64
    /// Time from the transaction's start to the end of its synced commit.
    public let durationNanoseconds: UInt64
}

/// Turns a batch of requests into one synced LMDB transaction, on the writer thread.
///
/// When the map is full the transaction is aborted, the map grows and the whole batch runs again.
/// A request that throws before appending anything has changed nothing: it alone is told, and
/// the batch goes on. One that throws after appending is undone by aborting the transaction: it
/// alone is told, and the rest run again without it. Either way a bad request never takes its
/// batch-mates down with it. An LMDB error is the environment's, not a request's: the batch fails.
final class BatchCommitter {
    private let environment: LMDBEnvironment
    private let log: Database
    private let projector: (any LogProjector)?
    private let preallocator: DataFilePreallocator?
    private let configuration: JournalConfiguration
    private let failure: JournalFailure
    private let logger: Logger
    private let hasher = SHA256Hasher()
    private var staleReadersCheckedAt = ContinuousClock.now

    init(
        environment: LMDBEnvironment,
        projector: (any LogProjector)?,
        preallocator: DataFilePreallocator?,
        configuration: JournalConfiguration,
        failure: JournalFailure,
        logger: Logger
    ) {
        self.environment = environment
        self.log = environment.database(LogReader.databaseName)
        self.projector = projector
        self.preallocator = preallocator
        self.configuration = configuration
        self.failure = failure
        self.logger = logger
    }

    private enum Attempt {
        case committed(statistics: CommitStatistics)
        case mapFull
        /// The request at `index` threw after appending: the transaction was aborted.
        case rejected(index: Int, error: any Error)
        /// The environment refused the batch; every request is refused.
        case failed
    }

    /// Commits `batch`; tells the callers whose requests failed, and returns the requests that
    /// landed (the writer tells those, so it knows how many callers it woke).
    func commit(_ batch: [any WriteRequest]) -> [any WriteRequest] {
        if let cause = self.failure.error {
            // LMDB must not be touched again in this process (see `JournalFailure`).
            for request in batch { request.fail(JournalError.failed(cause)) }
            return []
        }
        if self.staleReadersCheckedAt.duration(to: .now) >= .milliseconds(self.configuration.staleReaderCheckIntervalMs) {
            self.clearStaleReaders()
        }
        var pending = batch
        while !pending.isEmpty {
            // Requests that threw: each is told once, when the attempt that judged it commits or
            // fails; after an aborted attempt they are judged again with the rest.
            var refused: [(index: Int, error: any Error)] = []
            let attempt: Attempt
            do {
                attempt = try self.attempt(pending, refusing: &refused)
            } catch let error as LMDBError where error.isMapFull {
                attempt = .mapFull
            } catch {
                self.logger.info("journal commit failed", metadata: ["error": "\(error)", "requests": "\(pending.count)"])
                // A commit whose meta page could not be written fails with that write's error; LMDB
                // has given up all the same, as the next transaction would find.
                if let panic = (error as? LMDBError).flatMap({ $0.isPanic ? $0 : nil }) ?? self.environment.panic() {
                    self.failForGood(panic)
                }
                refused = Self.refusingAll(of: pending, with: error)
                self.configuration.onCommitFailure?(error)
                attempt = .failed
            }
            // An aborted attempt's own refusals were judged against batch-mates' writes that did
            // not land (and may never): told now, a refusal could rest on an event that is lost.
            if case .rejected(let index, let error) = attempt { refused = [(index, error)] }
            if case .mapFull = attempt {
                refused = []
                // A dead reader may be what filled the map: freed pages come back into use.
                self.clearStaleReaders()
                do {
                    try self.environment.growMap()
                    self.logger.info("journal map grew", metadata: ["map.bytes": "\(self.environment.mapSizeBytes)"])
                } catch {
                    self.logger.info("journal map cannot grow", metadata: ["error": "\(error)"])
                    // At its maximum the map stays usable; a failed remap leaves it unmapped (a panic).
                    if let error = error as? LMDBError, error.isPanic { self.failForGood(error) }
                    refused = Self.refusingAll(of: pending, with: error)
                    self.configuration.onCommitFailure?(error)
                }
            }
            Self.remove(refused, from: &pending)
            if case .committed(let statistics) = attempt {
                self.configuration.onCommit?(statistics)
                self.preallocator?.nudge()
                return pending
            }
        }
        return []
    }

    /// Stops all writes for the rest of the process and tells whoever waits for that.
    private func failForGood(_ error: LMDBError) {
        // Info, as a library logs: the service that hears of it (`failedForGood`) reports it.
        self.logger.info("the journal failed and takes no more writes; restart Hooklog", metadata: ["error": "\(error)"])
        self.failure.fail(error)
    }

    /// Frees the slots of readers whose process died; logs when there were any.
    private func clearStaleReaders() {
        self.staleReadersCheckedAt = .now
        do {
            let clearedCount = try self.environment.clearStaleReaders()
            if clearedCount > 0 {
                self.logger.info("freed the LMDB reader slots of ended processes", metadata: ["readers": "\(clearedCount)"])
            }
        } catch {
            self.logger.info("cannot check for stale LMDB readers", metadata: ["error": "\(error)"])
        }
    }

    /// Every request of `pending`, with the batch's `error`: those refused on their own in this
    /// attempt too, as their refusals were judged against batch-mates' writes that never land.
    private static func refusingAll(of pending: [any WriteRequest], with error: any Error) -> [(index: Int, error: any Error)] {
        pending.indices.map { ($0, error) }
    }

    /// Tells each of `refused` its error and takes it out of `pending`.
    private static func remove(_ refused: [(index: Int, error: any Error)], from pending: inout [any WriteRequest]) {
        for (index, error) in refused.sorted(by: { $0.index > $1.index }) {
            pending.remove(at: index).fail(error)
        }
    }

    private func attempt(_ requests: [any WriteRequest], refusing refused: inout [(index: Int, error: any Error)]) throws -> Attempt {
        let startedAt = ContinuousClock.now
        let entryCount: UInt64
        do {
            entryCount = try self.environment.write { transaction in
                try self.run(requests, in: transaction, refusing: &refused)
            }
        } catch let rejection as Rejection {
            return .rejected(index: rejection.index, error: rejection.error)
        }
        let elapsed = startedAt.duration(to: .now).components
        let nanoseconds = UInt64(elapsed.seconds) * 1_000_000_000 + UInt64(elapsed.attoseconds / 1_000_000_000)
        let statistics = CommitStatistics(requestCount: requests.count - refused.count, entryCount: entryCount, durationNanoseconds: nanoseconds)
        return .committed(statistics: statistics)
    }

    /// Runs every request in `transaction`, noting in `refused` those that threw before they
    /// appended anything; returns how many entries the rest appended.
    private func run(_ requests: [any WriteRequest], in transaction: WriteTransaction, refusing refused: inout [(index: Int, error: any Error)]) throws -> UInt64 {
        // A transaction run again starts again.
        refused.removeAll()
        let head = try LogReader.head(in: transaction, log: self.log)
        // Receipt times never go backwards, even if the wall clock does.
        let appendedAtMs = max(self.configuration.clock(), head.appendedAtMs)
        var writer = LogWriter(
            transaction: transaction,
            log: self.log,
            hasher: self.hasher,
            projector: self.projector,
            appendedAtMs: appendedAtMs,
            head: head
        )
        for (index, request) in requests.enumerated() {
            let begunAppendsBefore = writer.begunAppendCount
            do {
                try request.run(&writer)
            } catch let error as LMDBError {
                throw error
            } catch where writer.begunAppendCount == begunAppendsBefore {
                // Appends are its only writes (the writer's view is read-only): nothing to undo.
                refused.append((index, error))
            } catch {
                throw Rejection(index: index, error: error)
            }
        }
        return writer.head.sequence - head.sequence
    }
}

/// Carries a request's own failure out of the aborted transaction.
private struct Rejection: Error {
    let index: Int
    let error: any Error
}
