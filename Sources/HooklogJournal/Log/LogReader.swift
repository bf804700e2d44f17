import HooklogCore

/// Reads the log of an environment: by sequence, by range, and its head.
///
/// Every call runs in its own short read transaction; `scan` splits a long walk into chunks
/// so that it never pins old pages (and the map) for the length of the walk.
public struct LogReader: Sendable {
    /// The name of the database that holds the log.
    public static let databaseName = "log"

    let environment: LMDBEnvironment
    let log: Database

    /// A reader of the log in `environment`, which must have been opened with `databaseName`.
    public init(environment: LMDBEnvironment) {
        self.environment = environment
        self.log = environment.database(Self.databaseName)
    }

    /// The newest entry's sequence and hash.
    public func head() throws -> ChainHead {
        try self.environment.read { try Self.head(in: $0, log: self.log) }
    }

    /// The newest entry's sequence and hash as `transaction` sees it: with what else it reads.
    public func head(in transaction: ReadTransaction) throws -> ChainHead {
        try Self.head(in: transaction, log: self.log)
    }

    /// The entry at `sequence`, or `nil` when there is none.
    public func entry(at sequence: UInt64) throws -> LogEntry? {
        try self.environment.read { transaction in
            try LogEntryLayout.key(sequence).withUnsafeBytes { key in
                try transaction.withValue(forKey: key, in: self.log) { stored in
                    try stored.map { try LogEntryView(sequence: sequence, storedBytes: $0).copy() }
                }
            }
        }
    }

    /// Up to `limit` entries from `sequence` on, in order.
    public func entries(from sequence: UInt64, limit: Int) throws -> [LogEntry] {
        var entries: [LogEntry] = []
        try self.scan(from: sequence) { view in
            entries.append(view.copy())
            return entries.count < limit
        }
        return entries
    }

    /// Visits entries in order from `start` through `end` until `body` returns `false`.
    ///
    /// Each view is valid only during its call. Entries are read `chunkSize` at a time, one read
    /// transaction a chunk.
    public func scan(
        from start: UInt64 = 1,
        through end: UInt64 = .max,
        chunkSize: Int = 4096,
        _ body: (LogEntryView) throws -> Bool
    ) throws {
        var next = start
        var more = next <= end
        while more {
            more = try self.environment.read { transaction in
                try transaction.withCursor(over: self.log) { cursor in
                    var item = try cursor.seek(atLeast: LogEntryLayout.key(next))
                    var visited = 0
                    while let entry = item {
                        let sequence = try Self.sequence(of: entry)
                        guard sequence <= end else { return false }
                        guard try body(try LogEntryView(sequence: sequence, storedBytes: entry.value)) else { return false }
                        guard sequence < UInt64.max else { return false }
                        next = sequence + 1
                        visited += 1
                        if visited == chunkSize { return true }
                        item = try cursor.next()
                    }
                    return false
                }
            }
        }
    }

    /// How far a walk of the whole log must go: its last key's sequence and how many entries it
    /// holds, read together without decoding any entry, so that a damaged last entry (or a damaged
    /// key) is a break the walk reports rather than an error before it.
    public func extent() throws -> LogExtent {
        try self.environment.read { try Self.extent(in: $0, log: self.log) }
    }

    /// The extent as seen by `transaction`.
    static func extent(in transaction: ReadTransaction, log: Database) throws -> LogExtent {
        let entryCount = UInt64(try transaction.entryCount(of: log))
        let lastKeySequence = try transaction.withCursor(over: log) { cursor in
            try cursor.last().flatMap { LogEntryLayout.sequence(fromKey: $0.key) }
        }
        return LogExtent(lastKeySequence: lastKeySequence, entryCount: entryCount)
    }

    /// The head as seen by `transaction`.
    static func head(in transaction: some ReadableTransaction, log: Database) throws -> ChainHead {
        try transaction.withCursor(over: log) { cursor in
            guard let last = try cursor.last() else { return .empty }
            let view = try LogEntryView(sequence: try Self.sequence(of: last), storedBytes: last.value)
            return ChainHead(sequence: view.sequence, chainHash: view.chainHash, appendedAtMs: view.appendedAtMs)
        }
    }

    static func sequence(of entry: Cursor.Entry) throws(LogFormatError) -> UInt64 {
        guard let sequence = LogEntryLayout.sequence(fromKey: entry.key) else {
            throw LogFormatError(sequence: 0, reason: "a log key is \(entry.key.count) bytes, not 8")
        }
        return sequence
    }
}

/// How much log a walk of it has to cover (`LogReader.extent`).
public struct LogExtent: Sendable, Equatable {
    /// The sequence the last key names; `nil` when the log is empty or that key is unreadable.
    public let lastKeySequence: UInt64?
    /// How many entries the log holds.
    public let entryCount: UInt64

    /// The last sequence a walk checks. In a whole log both figures agree; where they do not,
    /// the larger takes the walk as far as the entry that is out of place (a key damaged to a
    /// smaller number stays where it was written, after its neighbours, and the walk meets it
    /// where it expected the next sequence).
    public var lastSequenceToWalk: UInt64 {
        max(self.lastKeySequence ?? 0, self.entryCount)
    }
}
