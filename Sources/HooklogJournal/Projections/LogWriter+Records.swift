public import HooklogCore

extension LogWriter {
    /// Appends `record` (encoded) and applies it to the projections; returns its sequence.
    @discardableResult
    public mutating func append(_ record: Record) throws -> UInt64 {
        try self.append(record.encode())
    }

    /// The projections as this batch has left them so far.
    public func projections(_ databases: ProjectionDatabases) -> TransactionProjections<ReadTransaction> {
        TransactionProjections(transaction: self.view, databases: databases)
    }
}
