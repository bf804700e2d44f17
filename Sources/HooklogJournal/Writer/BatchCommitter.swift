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
/// When one request throws, the transaction is aborted, that request alone is told, and the rest
/// run again without it: a bad request never takes its batch-mates down with it.
final class BatchCommitter {
    private let environment: LMDBEnvironment
    private let log: Database
    private let projector: (any LogProjector)?
    private let preallocator: DataFilePreallocator?
    private let configuration: JournalConfiguration
    private let logger: Logger
    private let hasher = SHA256Hasher()

    init(
        environment: LMDBEnvironment,
        projector: (any LogProjector)?,
        preallocator: DataFilePreallocator?,
        configuration: JournalConfiguration,
        logger: Logger
    ) {
        self.environment = environment
        self.log = environment.database(LogReader.databaseName)
        self.projector = projector
        self.preallocator = preallocator
        self.configuration = configuration
        self.logger = logger
    }

    private enum Attempt {
        case committed(statistics: CommitStatistics)
        case mapFull
        case rejected(index: Int, error: any Error)
    }

    /// Commits `batch`; tells the callers whose requests failed, and returns the requests that
    /// landed (the writer tells those, so it knows how many callers it woke).
    func commit(_ batch: [any WriteRequest]) -> [any WriteRequest] {
        var pending = batch
        while !pending.isEmpty {
            let attempt: Attempt
            do {
                attempt = try self.attempt(pending)
            } catch let error as LMDBError where error.isMapFull {
                attempt = .mapFull
            } catch {
                self.logger.info("journal commit failed", metadata: ["error": "\(error)", "requests": "\(pending.count)"])
                for request in pending { request.fail(error) }
                return []
            }
            switch attempt {
            case .committed(let statistics):
                self.configuration.onCommit?(statistics)
                self.preallocator?.nudge()
                return pending
            case .mapFull:
                do {
                    try self.environment.growMap()
                    self.logger.info("journal map grew", metadata: ["map.bytes": "\(self.environment.mapSizeBytes)"])
                } catch {
                    self.logger.info("journal map cannot grow", metadata: ["error": "\(error)"])
                    for request in pending { request.fail(error) }
                    return []
                }
            case .rejected(let index, let error):
                pending[index].fail(error)
                pending.remove(at: index)
            }
        }
        return []
    }

    private func attempt(_ requests: [any WriteRequest]) throws -> Attempt {
        let startedAt = ContinuousClock.now
        let entryCount: UInt64
        do {
            entryCount = try self.environment.write { transaction in
                try self.run(requests, in: transaction)
            }
        } catch let rejection as Rejection {
            return .rejected(index: rejection.index, error: rejection.error)
        }
        let elapsed = startedAt.duration(to: .now).components
        let nanoseconds = UInt64(elapsed.seconds) * 1_000_000_000 + UInt64(elapsed.attoseconds / 1_000_000_000)
        let statistics = CommitStatistics(requestCount: requests.count, entryCount: entryCount, durationNanoseconds: nanoseconds)
        return .committed(statistics: statistics)
    }

    /// Runs every request in `transaction`; returns how many entries they appended.
    private func run(_ requests: [any WriteRequest], in transaction: WriteTransaction) throws -> UInt64 {
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
            do {
                try request.run(&writer)
            } catch let error as LMDBError where error.isMapFull {
                throw error
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
