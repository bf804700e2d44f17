/// The changes one record makes, at most one per (table, key), in the order first touched, and
/// readable back so that a record's later reads see its earlier writes.
struct ProjectionChangeSet {
    private struct Slot: Hashable {
        let table: ProjectionTable
        let key: [UInt8]

        func hash(into hasher: inout Hasher) {
            hasher.combine(self.table)
            self.key.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }

    private(set) var changes: [ProjectionChange] = []
    private var positions: [Slot: Int] = [:]

    mutating func put(_ table: ProjectionTable, _ key: [UInt8], _ value: [UInt8]) {
        self.record(.put(table, key: key, value: value))
    }

    mutating func delete(_ table: ProjectionTable, _ key: [UInt8]) {
        self.record(.delete(table, key: key))
    }

    /// `nil` if this record has not touched the key, `.some(nil)` if it deleted it.
    func pendingValue(in table: ProjectionTable, forKey key: [UInt8]) -> [UInt8]?? {
        guard let position = self.positions[Slot(table: table, key: key)] else { return nil }
        switch self.changes[position] {
        case .put(_, _, let value): return .some(value)
        case .delete: return .some(nil)
        }
    }

    private mutating func record(_ change: ProjectionChange) {
        let slot = Slot(table: change.table, key: change.key)
        if let position = self.positions[slot] {
            self.changes[position] = change
        } else {
            self.positions[slot] = self.changes.count
            self.changes.append(change)
        }
    }
}
