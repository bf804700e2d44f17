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
            let chunk = try self.source.entries(from: applied + 1, limit: chunkSize)
            guard !chunk.isEmpty else { break }
            try self.writeGrowingMap { transaction in
                for entry in chunk {
                    try Self.withView(of: entry) { try self.projector.apply($0, in: transaction) }
                }
            }
            applied = chunk.last!.sequence
            progress(applied)
        }
        try self.writeGrowingMap { transaction in
            try transaction.delete(forKey: Self.rebuildingKey, in: meta)
        }
        return applied
    }

    /// One write transaction, run again after growing the map whenever it is full.
    private func writeGrowingMap(_ body: (WriteTransaction) throws -> Void) throws {
        while true {
            do {
                return try self.target.write(body)
            } catch let error as LMDBError where error.isMapFull {
                try self.target.growMap()
            }
        }
    }

    /// A view of a copied entry, laid out as the log stores it.
    private static func withView(of entry: LogEntry, _ body: (LogEntryView) throws -> Void) throws {
        try LogEntryLayout.storedBytes(of: entry).withUnsafeBytes { bytes in
            try body(try LogEntryView(sequence: entry.sequence, storedBytes: bytes))
        }
    }
}
