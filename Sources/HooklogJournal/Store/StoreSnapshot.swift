public import HooklogCore

/// The projections and the log as one transaction sees them.
public struct StoreSnapshot {
    /// The projection tables.
    public let projections: TransactionProjections<ReadTransaction>
    let log: Database

    /// The record at `sequence`, decoded.
    public func record(at sequence: UInt64) throws -> Record? {
        try withUnsafeBytes(of: sequence.bigEndian) { key in
            try self.projections.transaction.withValue(forKey: key, in: self.log) { stored in
                try stored.map { try Record(decoding: try LogEntryView(sequence: sequence, storedBytes: $0).payload) }
            }
        }
    }

    /// The `EventReceived` record of event `id`, if the event exists.
    public func eventRecord(_ id: EventID) throws -> EventReceived? {
        guard let entry = try self.projections.event(id), case .eventReceived(let event)? = try self.record(at: entry.sequence) else {
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
