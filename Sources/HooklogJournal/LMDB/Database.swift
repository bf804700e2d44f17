internal import CLMDB

/// A named database inside an LMDB environment.
public struct Database: Sendable, Hashable, CustomStringConvertible {
    /// The name the database was opened with.
    public let name: String
    let dbi: MDB_dbi

    init(name: String, dbi: MDB_dbi) {
        self.name = name
        self.dbi = dbi
    }

    public var description: String { self.name }
}
