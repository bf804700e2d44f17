public import HooklogCore

/// The projections and the log as one transaction sees them.
public struct StoreSnapshot {
    /// The projection tables.
    public let projections: TransactionProjections<ReadTransaction>
    let log: Database

    /// The record at `sequence`, decoded.
    public func record(at sequence: UInt64) throws -> Record? {
        try self.withEntry(at: sequence) { try Record(decoding: $0.payload) }
    }

    /// The record at `sequence`, its entry first checked against the stored chain hash of the
    /// one before it (`LogEntryView.requireLinked`): for what is sent signed or shown as the
    /// platform's event, never bytes changed on disk since they were appended (a bad sector, a
    /// careless edit). Throws `LogFormatError` for an entry that fails.
    public func linkedRecord(at sequence: UInt64) throws -> Record? {
        var previous = SHA256Digest.zero
        if sequence > 1 {
            guard let stored = try self.withEntry(at: sequence - 1, { $0.chainHash }) else {
                throw LogFormatError(sequence: sequence - 1, reason: "missing: " + LogFormatError.damagedLogHint)
            }
            previous = stored
        }
        return try self.withEntry(at: sequence) { view in
            try view.requireLinked(after: previous, using: SHA256Hasher())
            return try Record(decoding: view.payload)
        }
    }

    /// `body` with the log entry at `sequence`; `nil` when there is none.
    private func withEntry<R>(at sequence: UInt64, _ body: (LogEntryView) throws -> R) throws -> R? {
        try LogEntryLayout.key(sequence).withUnsafeBytes { key in
            try self.projections.transaction.withValue(forKey: key, in: self.log) { stored in
                try stored.map { try body(try LogEntryView(sequence: sequence, storedBytes: $0)) }
            }
        }
    }

    /// The `EventReceived` record of event `id`, if the event exists, checked against the chain
    /// (`linkedRecord`).
    public func eventRecord(_ id: EventID) throws -> EventReceived? {
        guard let entry = try self.projections.event(id), case .eventReceived(let event)? = try self.linkedRecord(at: entry.sequence) else {
            return nil
        }
        return event
    }

    /// Visits the keys of `table` that start with `prefix`, in order, while `body` returns `true`.
    public func keys(in table: ProjectionTable, withPrefix prefix: [UInt8], _ body: ([UInt8]) throws -> Bool) throws {
        try self.projections.scan(table, from: prefix) { key, _ in
            guard key.starts(with: prefix) else { return false }
            return try body(Array(key))
        }
    }
}
