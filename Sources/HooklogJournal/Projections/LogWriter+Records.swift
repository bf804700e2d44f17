public import HooklogCore

extension LogWriter {
    /// Appends `record` (encoded) and applies it to the projections; returns its sequence.
    @discardableResult
    public mutating func append(_ record: Record) throws -> UInt64 {
        let sequence = try self.append(record.encode())
        switch record {
        case .deliveryPlanned, .deliveryRetryScheduled: self.dueRecordCount += 1
        default: break
        }
        return sequence
    }

    /// The projections as this batch has left them so far.
    public func projections(_ databases: ProjectionDatabases) -> TransactionProjections<ReadTransaction> {
        TransactionProjections(transaction: self.view, databases: databases)
    }
}
