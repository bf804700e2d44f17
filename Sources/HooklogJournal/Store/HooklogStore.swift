import Foundation
public import HooklogCore
public import Logging

/// Hooklog's state: the journal with the reducer's projections kept in step inside it, and the
/// commands that decide which records to append.
///
/// Commands run on the journal's writer thread, read the projections as their batch left them,
/// and append records; a command that throws appends nothing. Reads go through snapshots, off the
/// writer.
public final class HooklogStore: Sendable {
    /// Every database the store's environment holds.
    public static let databaseNames =
        Journal.databaseNames + ProjectionTable.databaseNames + [ProjectionRebuilder.metaDatabaseName]

    /// The environment (log and projections).
    public let environment: LMDBEnvironment
    /// The log.
    public let journal: Journal
    /// Where each projection table lives.
    public let projections: ProjectionDatabases
    /// Signalled after every command that made a delivery due (the scheduler sleeps on it).
    public let dueWork = WakeSignal()
    /// Where replay searches wait their turn (`requestReplays`).
    package let replaySearches = ReplaySearchGate()
    let log: Database

    /// Opens the store in `environment`. Projections that cannot be used as they stand (a rebuild
    /// that a crash cut short, or another build's layout) are first rebuilt from the log.
    public init(environment: LMDBEnvironment, configuration: JournalConfiguration = JournalConfiguration(), logger: Logger) throws {
        let projector = ReducingProjector(environment: environment)
        if let reason = try ProjectionRebuilder.reasonToRebuild(environment) {
            try Self.rebuildProjections(of: environment, because: reason, logger: logger)
        }
        try ProjectionRebuilder.stampLayout(environment)
        self.environment = environment
        self.projections = projector.databases
        self.log = environment.database(LogReader.databaseName)
        self.journal = Journal(environment: environment, projector: projector, configuration: configuration, logger: logger)
    }

    /// Rebuilds `environment`'s projections at open, saying how far it has come every few
    /// seconds: the service answers nothing until it is done (about a second per million records).
    private static func rebuildProjections(of environment: LMDBEnvironment, because reason: String, logger: Logger) throws {
        let reader = LogReader(environment: environment)
        let recordCount = try reader.head().sequence
        logger.info("rebuilding every projection from the log before serving", metadata: ["reason": "\(reason)", "records": "\(recordCount)"])
        let startedAt = ContinuousClock.now
        var saidAt = startedAt
        let applied = try ProjectionRebuilder(source: reader, target: environment).rebuild { reached in
            guard saidAt.duration(to: .now) >= .seconds(5) else { return }
            saidAt = .now
            logger.info("rebuilding every projection from the log", metadata: ["records.done": "\(reached)", "records": "\(recordCount)"])
        }
        logger.info("rebuilt every projection", metadata: ["records": "\(applied)", "duration.ms": "\(startedAt.duration(to: .now).inMilliseconds)"])
    }

    /// Opens (or creates) the store in the folder `path`.
    public convenience init(
        path: String,
        initialMapSizeBytes: Int = 64 << 20,
        configuration: JournalConfiguration = JournalConfiguration(),
        logger: Logger
    ) throws {
        let environment = try LMDBEnvironment(
            .init(path: path, initialMapSizeBytes: initialMapSizeBytes),
            databaseNames: Self.databaseNames
        )
        try self.init(environment: environment, configuration: configuration, logger: logger)
    }

    /// Runs `body` in a read-only snapshot of the projections.
    public func read<Result>(_ body: (StoreSnapshot) throws -> Result) throws -> Result {
        try self.environment.read { transaction in
            try body(StoreSnapshot(projections: TransactionProjections(transaction: transaction, databases: self.projections), log: self.log))
        }
    }

    /// Runs `body` on a thread of its own, for work that reads for seconds (in many short
    /// snapshots): on the threads async code shares it would hold up everything else they run.
    /// `body` is told, through `isCancelled`, once the calling task is cancelled.
    func onItsOwnThread<Result: Sendable>(_ body: @escaping @Sendable (_ isCancelled: () -> Bool) throws -> Result) async throws -> Result {
        let cancelled = CancellationFlag()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                Thread.detachNewThread {
                    continuation.resume(with: Swift.Result { try body { cancelled.isSet } })
                }
            }
        } onCancel: {
            cancelled.set()
        }
    }

    /// Runs a command on the writer thread; its records land together, synced, or not at all.
    /// Once they have landed, a command that planned a delivery or made one due again wakes the
    /// scheduler (`dueWork`), whichever command it was.
    public func command<Result: Sendable>(_ body: @escaping @Sendable (inout LogWriter, StoreSnapshot) throws -> Result) async throws -> Result {
        let (result, madeDeliveriesDue) = try await self.journal.write { writer in
            let snapshot = StoreSnapshot(projections: TransactionProjections(transaction: writer.view, databases: self.projections), log: self.log)
            let dueRecordCountBefore = writer.dueRecordCount
            let result = try body(&writer, snapshot)
            return (result, writer.dueRecordCount > dueRecordCountBefore)
        }
        if madeDeliveriesDue { self.dueWork.signal() }
        return result
    }

    /// Appends records as one command, without reading state first.
    @discardableResult
    public func append(_ records: [Record]) async throws -> [UInt64] {
        try await self.command { writer, _ in try records.map { try writer.append($0) } }
    }

    /// Finishes queued commands and stops taking new ones.
    public func close() async {
        await self.journal.close()
    }
}
