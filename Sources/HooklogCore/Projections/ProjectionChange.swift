/// One write to a projection table, in bytes, so that LMDB and the in-memory store apply it alike.
///
/// The reducer emits at most one change per (table, key) for a record, deletes only keys that
/// exist, and its changes are applied in order.
public enum ProjectionChange: Equatable, Sendable {
    /// Sets `key` to `value` (creating or replacing it).
    case put(ProjectionTable, key: [UInt8], value: [UInt8])
    /// Removes `key`, which exists.
    case delete(ProjectionTable, key: [UInt8])

    /// The table written.
    public var table: ProjectionTable {
        switch self {
        case .put(let table, _, _), .delete(let table, _): table
        }
    }

    /// The key written.
    public var key: [UInt8] {
        switch self {
        case .put(_, let key, _), .delete(_, let key): key
        }
    }
}
