import HooklogCore

/// Rebuilds projections by replaying a log from sequence 1 through a projector.
///
/// The target's projection databases are emptied first; the log is then replayed `chunkSize`
/// records per transaction. While a rebuild is under way a marker in `meta` says so, so that a
/// rebuild cut short by a crash is noticed (`isInterrupted`) and run again, never trusted.
/// Runs where no journal is writing to the target (at open, or on a stopped data directory).
public struct ProjectionRebuilder: Sendable {
    /// The database holding the rebuild marker.
    public static let metaDatabaseName = "meta"
    private static let rebuildingKey = Array("projections.rebuilding".utf8)

    private let source: LogReader
    private let target: LMDBEnvironment
    private let projector: any LogProjector

    /// A rebuilder replaying `source`'s log into `target`'s projections through `projector`.
    public init(source: LogReader, target: LMDBEnvironment, projector: any LogProjector) {
        self.source = source
        self.target = target
        self.projector = projector
    }

    /// Whether a rebuild of `environment` started and never finished.
    public static func isInterrupted(_ environment: LMDBEnvironment) throws -> Bool {
        let meta = environment.database(Self.metaDatabaseName)
        return try environment.read { try $0.value(forKey: Self.rebuildingKey, in: meta) } != nil
    }

    /// Replays the whole log; returns how many records were applied. `progress` hears the
    /// sequence reached after each chunk.
    @discardableResult
    public func rebuild(chunkSize: Int = 8_192, progress: (UInt64) -> Void = { _ in }) throws -> UInt64 {
        let meta = self.target.database(Self.metaDatabaseName)
        try self.writeGrowingMap { transaction in
            for name in self.projector.databaseNames {
                try transaction.removeAll(in: self.target.database(name))
            }
            try transaction.put([1], forKey: Self.rebuildingKey, in: meta)
        }
        var applied: UInt64 = 0
        while true {
            // Entries are applied straight from the source's memory map, never copied. A chunk that
            // fills the map runs again after it grows, so `applied` moves only once it committed.
            let reached = try self.writeGrowingMap { transaction in
                try self.withLog(readingAlongside: transaction) { log, reading in
                    try reading.withCursor(over: log) { cursor in
                        var last = applied
                        var item = try cursor.seek(atLeast: LogEntryLayout.key(applied + 1))
                        while let entry = item {
                            let view = try LogEntryView(sequence: try LogReader.sequence(of: entry), storedBytes: entry.value)
                            try self.projector.apply(view, in: transaction)
                            last = view.sequence
                            if last - applied == UInt64(chunkSize) { break }
                            item = try cursor.next()
                        }
                        return last
                    }
                }
            }
            guard reached > applied else { break }
            applied = reached
            progress(applied)
        }
        try self.writeGrowingMap { transaction in
            try transaction.delete(forKey: Self.rebuildingKey, in: meta)
        }
        return applied
    }

    /// One write transaction, run again after growing the map whenever it is full.
    @discardableResult
    private func writeGrowingMap<R>(_ body: (WriteTransaction) throws -> R) throws -> R {
        while true {
            do {
                return try self.target.write(body)
            } catch let error as LMDBError where error.isMapFull {
                try self.target.growMap()
            }
        }
    }

    /// Calls `body` with the source's log and a transaction that reads it: the write transaction
    /// itself when rebuilding in place, else a read transaction of the source environment.
    private func withLog<R>(readingAlongside transaction: WriteTransaction, _ body: (Database, any ReadableTransaction) throws -> R) throws -> R {
        if self.source.environment === self.target {
            return try body(self.source.log, transaction)
        }
        return try self.source.environment.read { reading in try body(self.source.log, reading) }
    }
}
