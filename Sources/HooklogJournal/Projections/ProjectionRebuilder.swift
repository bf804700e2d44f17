import HooklogCore

/// Rebuilds projections by replaying a log from sequence 1 through the reducer.
///
/// Records are reduced into rows held as values (`RowOverlay`), and whenever the overlay holds
/// `maxRowsInMemory` rows, and at the end, each row's final value and index entries are written
/// once, in key order, in one transaction: a log of a million records becomes one write per
/// projection key instead of several per record, and one encoding per row. The target's
/// projection databases are emptied by the first of those transactions, so a log that cannot be
/// replayed as far as the first flush (the whole of a log of up to a million records or so) leaves
/// the projections as they were, and the service able to start on them. From the first flush on,
/// a marker in `meta` says a rebuild is under way, so that a rebuild cut short by a crash or a
/// record it cannot replay is noticed (`isInterrupted`) and run again, never trusted. Runs where
/// no journal is writing to the target (at open, or on a stopped data directory).
public struct ProjectionRebuilder: Sendable {
    /// The database holding the rebuild marker.
    public static let metaDatabaseName = "meta"
    private static let rebuildingKey = Array("projections.rebuilding".utf8)
    private static let layoutKey = Array("projections.layout".utf8)
    /// How often, in records, `progress` hears from a rebuild.
    private static let progressInterval: UInt64 = 65_536

    private let source: LogReader
    private let target: LMDBEnvironment
    private let databases: ProjectionDatabases
    private let maxRowsInMemory: Int

    /// A rebuilder replaying `source`'s log into `target`'s projections, holding at most about
    /// `maxRowsInMemory` rows in memory between writes: under 1 KB each at a flush, counting the
    /// keys it packs (a 1,000,000-record log of some 310,000 rows peaks at 250 MB).
    public init(source: LogReader, target: LMDBEnvironment, maxRowsInMemory: Int = 500_000) {
        precondition(maxRowsInMemory > 0, "the overlay holds at least one row")
        self.source = source
        self.target = target
        self.databases = ProjectionDatabases(environment: target)
        self.maxRowsInMemory = maxRowsInMemory
    }

    /// Whether a rebuild of `environment` started and never finished.
    public static func isInterrupted(_ environment: LMDBEnvironment) throws -> Bool {
        try environment.read { try Self.isInterrupted(in: $0, of: environment) }
    }

    private static func isInterrupted(in transaction: ReadTransaction, of environment: LMDBEnvironment) throws -> Bool {
        try transaction.value(forKey: Self.rebuildingKey, in: environment.database(Self.metaDatabaseName)) != nil
    }

    /// Why `environment`'s projections cannot be used as they stand, or `nil` when they can: a
    /// rebuild under way or that never finished, or a layout other than this build's (`layoutVersion`).
    public static func reasonToRebuild(_ environment: LMDBEnvironment) throws -> String? {
        try environment.read { try Self.reasonToRebuild(in: $0, of: environment) }
    }

    /// `reasonToRebuild` as `transaction`'s snapshot has it: a reader that checks in the snapshot
    /// it reads from cannot meet projections a rebuild has started emptying since.
    public static func reasonToRebuild(in transaction: ReadTransaction, of environment: LMDBEnvironment) throws -> String? {
        if try Self.isInterrupted(in: transaction, of: environment) { return "a rebuild is under way or was interrupted" }
        let layout = try transaction.value(forKey: Self.layoutKey, in: environment.database(Self.metaDatabaseName))
        switch layout {
        case [ProjectionTable.layoutVersion]?:
            return nil
        case nil where try LogReader(environment: environment).head(in: transaction).sequence == 0:
            return nil  // a new store, stamped by `stampLayout`
        case nil:
            return "they predate projection layout versions (this build writes \(ProjectionTable.layoutVersion))"
        case let layout?:
            return "they have projection layout \(layout.map(String.init).joined()) and this build writes \(ProjectionTable.layoutVersion)"
        }
    }

    /// Records that `environment`'s (empty) projections follow this build's layout.
    public static func stampLayout(_ environment: LMDBEnvironment) throws {
        let meta = environment.database(Self.metaDatabaseName)
        guard try environment.read({ try $0.value(forKey: Self.layoutKey, in: meta) }) == nil else { return }
        try environment.write { try $0.put([ProjectionTable.layoutVersion], forKey: Self.layoutKey, in: meta) }
    }

    /// Replays the whole log; returns how many records were applied. `progress` hears the
    /// sequence reached every few ten thousand records. A damaged log (its chain broken: a gap,
    /// a damaged key, changed bytes) is refused before anything is emptied, and an intact record
    /// that cannot be replayed (a newer build's) when it is met: each throws `LogFormatError`
    /// naming the sequence.
    @discardableResult
    public func rebuild(progress: (UInt64) -> Void = { _ in }) throws -> UInt64 {
        // The chain is walked on other threads while the first records are reduced.
        let chainCheck = PendingChainVerification(self.source)
        do {
            return try self.rebuild(progress: progress) { try Self.requireIntact(chainCheck.wait()) }
        } catch {
            // A damaged record the reducer meets first is the chain's break, named as such.
            try Self.requireIntact(chainCheck.wait())
            throw error
        }
    }

    /// `rebuild`, calling `requireIntactLog` before anything is emptied.
    private func rebuild(progress: (UInt64) -> Void, requireIntactLog: () throws -> Void) throws -> UInt64 {
        let meta = self.target.database(Self.metaDatabaseName)
        // Deliveries are most of the rows, and each takes four records or more.
        let recordCount = try self.source.head().sequence
        var overlay = RowOverlay(expectedRowCount: min(self.maxRowsInMemory, Int(clamping: recordCount / 4)))
        var applied: UInt64 = 0
        // Until the first flush the tables hold the projections being replaced: never read them.
        var tablesAreEmpty = true
        while true {
            let (reached, logEnded) = try withUnsafeMutablePointer(to: &overlay) { overlay in
                try self.reduce(after: applied, into: overlay, tablesAreEmpty: tablesAreEmpty, progress: progress)
            }
            let heldRowCount = overlay.rowCount
            // Nothing applied yet: the first flush, which empties the tables it replaces.
            if applied == 0 { try requireIntactLog() }
            try self.flush(overlay.drainSorted(), tablesAreEmpty: tablesAreEmpty, emptyingFirst: applied == 0)
            tablesAreEmpty = tablesAreEmpty && heldRowCount == 0
            applied = reached
            if logEnded { break }
        }
        try self.writeGrowingMap { transaction in
            try transaction.delete(forKey: Self.rebuildingKey, in: meta)
            try transaction.put([ProjectionTable.layoutVersion], forKey: Self.layoutKey, in: meta)
        }
        progress(applied)
        return applied
    }

    /// Reduces records after `applied` into `overlay` until it is full or the log ends; returns
    /// the last sequence reduced and whether the log ended.
    private func reduce(
        after applied: UInt64,
        into overlay: UnsafeMutablePointer<RowOverlay>,
        tablesAreEmpty: Bool,
        progress: (UInt64) -> Void
    ) throws -> (reached: UInt64, logEnded: Bool) {
        // One snapshot holds the log and, in place, the projections flushed so far; rebuilding
        // into another environment reads those from a snapshot of that one.
        try self.source.environment.read { logTransaction in
            try self.withFlushedProjections(alongside: logTransaction, skip: tablesAreEmpty) { flushed in
                var rows = OverlayRows(overlay: overlay, flushed: flushed.map(DecodedProjections.init))
                return try logTransaction.withCursor(over: self.source.log) { cursor in
                    var reached = applied
                    var item = try cursor.seek(atLeast: LogEntryLayout.key(applied + 1))
                    while let entry = item {
                        // Entries are reduced straight from the memory map, never copied.
                        guard let sequence = LogEntryLayout.sequence(fromKey: entry.key) else {
                            throw LogFormatError(sequence: reached + 1, reason: "its key is \(entry.key.count) bytes, not 8: " + LogFormatError.damagedLogHint)
                        }
                        let view = try LogEntryView(sequence: sequence, storedBytes: entry.value)
                        guard view.sequence == reached + 1 else {
                            throw LogFormatError.missing(reached + 1, nextFound: view.sequence)
                        }
                        do {
                            let record = try Record(decoding: view.payload)
                            try Reducer.reduce(record, sequence: view.sequence, appendedAtMs: view.appendedAtMs, into: &rows)
                        } catch let error as ReducerError where error == .readFailed || error == .corruptProjection {
                            throw error  // the flushed projections' fault, not the record's
                        } catch {
                            throw LogFormatError(sequence: view.sequence, reason: "cannot be replayed: \(error)")
                        }
                        reached = view.sequence
                        if reached % Self.progressInterval == 0 { progress(reached) }
                        if overlay.pointee.rowCount >= self.maxRowsInMemory { return (reached, false) }
                        item = try cursor.next()
                    }
                    return (reached, true)
                }
            }
        }
    }

    /// Refuses a log whose chain breaks anywhere (a gap, a damaged key, a record whose bytes
    /// changed), naming the first bad sequence, before anything is emptied. Replayed, a changed
    /// record that still decodes would carry the damage into the projections unseen, and one
    /// that does not, met past the first flush, would leave them emptied.
    private static func requireIntact(_ verification: ChainVerification) throws {
        if let failure = verification.firstBreak {
            throw LogFormatError(sequence: failure.sequence, reason: "\(failure.reason): " + LogFormatError.damagedLogHint)
        }
    }

    /// Calls `body` with the projections written by earlier flushes, or `nil` when there are none.
    private func withFlushedProjections<R>(
        alongside logTransaction: ReadTransaction,
        skip: Bool,
        _ body: (TransactionProjections<ReadTransaction>?) throws -> R
    ) throws -> R {
        if skip { return try body(nil) }
        if self.source.environment === self.target {
            return try body(TransactionProjections(transaction: logTransaction, databases: self.databases))
        }
        return try self.target.read { try body(TransactionProjections(transaction: $0, databases: self.databases)) }
    }

    /// Writes every table's changes (`sorted`, by ordinal, in key order) in one transaction, which
    /// first empties every table and marks the rebuild under way when `emptyingFirst`. Into empty
    /// tables keys are appended (`MDB_APPEND`) and deletions are moot.
    private func flush(_ sorted: [TableChanges], tablesAreEmpty: Bool, emptyingFirst: Bool) throws {
        guard emptyingFirst || sorted.contains(where: { $0.count > 0 }) else { return }
        try self.writeGrowingMap { transaction in
            if emptyingFirst {
                for table in ProjectionTable.allCases {
                    try transaction.removeAll(in: self.databases[table])
                }
                try transaction.put([1], forKey: Self.rebuildingKey, in: self.target.database(Self.metaDatabaseName))
            }
            for table in ProjectionTable.allCases {
                let changes = sorted[table.ordinal]
                let database = self.databases[table]
                if try tablesAreEmpty || Self.sortsAfterEveryKey(changes, of: database, in: transaction) {
                    // Every put lands after the last key: appended through one cursor kept at the end.
                    try transaction.withCursor(over: database) { cursor in
                        try changes.forEach { key, value in
                            if let value {
                                try cursor.append(value, forKey: key)
                            } else if !tablesAreEmpty {
                                try transaction.delete(forKey: key, in: database)
                            }
                        }
                    }
                } else {
                    try changes.forEach { key, value in
                        if let value {
                            try transaction.put(value, forKey: key, in: database)
                        } else {
                            try transaction.delete(forKey: key, in: database)
                        }
                    }
                }
            }
        }
    }

    /// Whether the first key `changes` puts sorts after every key `database` holds.
    private static func sortsAfterEveryKey(_ changes: TableChanges, of database: Database, in transaction: WriteTransaction) throws -> Bool {
        guard let firstPutKey = changes.firstPutKey else { return false }
        return try transaction.withCursor(over: database) { cursor in
            guard let last = try cursor.last() else { return true }
            return firstPutKey.withUnsafeBytes { ByteOrder.precedes(last.key, $0) }
        }
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
}
