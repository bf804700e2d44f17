public import HooklogCore

/// The LMDB database of every projection table in one environment.
public struct ProjectionDatabases: Sendable {
    private let databases: [ProjectionTable: Database]

    /// The projection databases of `environment`, which must have been opened with
    /// `ProjectionTable.databaseNames`.
    public init(environment: LMDBEnvironment) {
        var databases: [ProjectionTable: Database] = [:]
        for table in ProjectionTable.allCases {
            databases[table] = environment.database(table.rawValue)
        }
        self.databases = databases
    }

    /// The database holding `table`.
    public subscript(table: ProjectionTable) -> Database {
        self.databases[table]!
    }
}
