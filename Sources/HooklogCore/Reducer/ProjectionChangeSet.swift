/// The changes one record makes, at most one per (table, key), in the order first touched, and
/// readable back so that a record's later reads see its earlier writes.
///
/// A record makes a handful of changes, so they are found by a linear scan: cheaper than hashing
/// every key into a dictionary, which a rebuild would do millions of times.
struct ProjectionChangeSet {
    private(set) var changes: [ProjectionChange] = []

    mutating func put(_ table: ProjectionTable, _ key: [UInt8], _ value: [UInt8]) {
        self.record(.put(table, key: key, value: value))
    }

    mutating func delete(_ table: ProjectionTable, _ key: [UInt8]) {
        self.record(.delete(table, key: key))
    }

    /// `nil` if this record has not touched the key, `.some(nil)` if it deleted it.
    func pendingValue(in table: ProjectionTable, forKey key: [UInt8]) -> [UInt8]?? {
        guard let position = self.position(of: table, key) else { return nil }
        switch self.changes[position] {
        case .put(_, _, let value): return .some(value)
        case .delete: return .some(nil)
        }
    }

    private func position(of table: ProjectionTable, _ key: [UInt8]) -> Int? {
        self.changes.firstIndex { $0.table == table && $0.key == key }
    }

    private mutating func record(_ change: ProjectionChange) {
        if let position = self.position(of: change.table, change.key) {
            self.changes[position] = change
        } else {
            self.changes.append(change)
        }
    }
}
