public import HooklogCore

/// The projections as one transaction sees them: what the reducer reads, and what the API reads.
public struct TransactionProjections<Transaction: ReadableTransaction>: ProjectionReading {
    /// The transaction read through.
    public let transaction: Transaction
    /// Where each table lives.
    public let databases: ProjectionDatabases

    /// The projections as `transaction` sees them.
    public init(transaction: Transaction, databases: ProjectionDatabases) {
        self.transaction = transaction
        self.databases = databases
    }

    public func value(in table: ProjectionTable, forKey key: [UInt8]) throws -> [UInt8]? {
        try self.transaction.value(forKey: key, in: self.databases[table])
    }

    /// Visits the keys and values of `table` from the first key at or after `start`, in key
    /// order, while `body` returns `true`. Buffers are valid only during the call.
    public func scan(
        _ table: ProjectionTable,
        from start: [UInt8] = [],
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        try self.transaction.withCursor(over: self.databases[table]) { cursor in
            var entry = start.isEmpty ? try cursor.first() : try cursor.seek(atLeast: start)
            while let current = entry, try body(current.key, current.value) {
                entry = try cursor.next()
            }
        }
    }
}
