/// A value that owns a row of its own table and the index entries that follow from it.
///
/// Index entries are a function of the row's state, never kept by hand: the reducer changes rows,
/// and every index change is the difference between a row's entries before and after
/// (`EntityChange`). That is also what lets a rebuild reduce rows alone and write each index once.
public protocol ProjectedEntity: Equatable, Sendable {
    /// What names a row.
    associatedtype ID: Hashable & Sendable

    /// The table the rows live in.
    static var table: ProjectionTable { get }

    /// The row's key in `table`.
    static func key(_ id: ID) -> [UInt8]

    /// Reads a stored row.
    init(decoding bytes: some Collection<UInt8>) throws(RecordDecodingError)

    /// The stored row.
    func encode() -> [UInt8]

    /// The index entries this row makes as `id` from the moment it is created until it is
    /// removed: built from fields that never change, so an update never needs to look at them.
    func lifetimeIndexEntries(of id: ID) -> [IndexEntry]

    /// The index entries that follow the row's changing state (at most one per table and key,
    /// none shared with `lifetimeIndexEntries`).
    func stateIndexEntries(of id: ID) -> [IndexEntry]
}

extension ProjectedEntity {
    public func lifetimeIndexEntries(of id: ID) -> [IndexEntry] { [] }
    public func stateIndexEntries(of id: ID) -> [IndexEntry] { [] }
}

/// One entry an entity makes in an index table.
public struct IndexEntry: Equatable, Sendable {
    public var table: ProjectionTable
    public var key: [UInt8]
    /// Empty for the tables that hold keys only.
    public var value: [UInt8]

    public init(_ table: ProjectionTable, _ key: [UInt8], _ value: [UInt8] = []) {
        self.table = table
        self.key = key
        self.value = value
    }
}
