import HooklogCore

/// Applies the pure `Reducer` to every appended record, inside the transaction that appends it,
/// and writes its changes to the projection databases.
public struct ReducingProjector: LogProjector {
    /// Where each table lives.
    public let databases: ProjectionDatabases

    /// A projector writing into `environment`'s projection databases.
    public init(environment: LMDBEnvironment) {
        self.databases = ProjectionDatabases(environment: environment)
    }

    public var databaseNames: [String] { ProjectionTable.databaseNames }

    public func apply(_ entry: LogEntryView, in transaction: WriteTransaction) throws {
        let record = try Record(decoding: entry.payload)
        let state = DecodedProjections(TransactionProjections(transaction: transaction, databases: self.databases))
        let rows = try Reducer.reduce(record, sequence: entry.sequence, appendedAtMs: entry.appendedAtMs, rows: state)
        try rows.forEachProjectionChange { change in
            switch change {
            case .put(let table, let key, let value):
                try transaction.put(value, forKey: key, in: self.databases[table])
            case .delete(let table, let key):
                try transaction.delete(forKey: key, in: self.databases[table])
            }
        }
    }
}
