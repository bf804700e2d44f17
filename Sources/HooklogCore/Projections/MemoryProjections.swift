/// The projection tables in memory: what the LMDB store holds, for tests and rebuild checks.
///
/// Iteration is sorted by key bytes, as LMDB's is, so `snapshot()` is deterministic.
public struct MemoryProjections: ProjectionReading, Sendable {
    private var tables: [ProjectionTable: [StoredKey: [UInt8]]] = [:]

    /// Empty tables.
    public init() {}

    /// The value under `key` in `table`, or `nil`.
    public func value(in table: ProjectionTable, forKey key: [UInt8]) -> [UInt8]? {
        self.tables[table]?[StoredKey(key)]
    }

    /// Applies `changes` in order. Deleting a missing key does nothing (the reducer never asks to).
    public mutating func apply(_ changes: [ProjectionChange]) {
        for change in changes {
            switch change {
            case .put(let table, let key, let value):
                self.tables[table, default: [:]][StoredKey(key)] = value
            case .delete(let table, let key):
                self.tables[table]?[StoredKey(key)] = nil
            }
        }
    }

    /// How many keys `table` holds.
    public func count(in table: ProjectionTable) -> Int {
        self.tables[table]?.count ?? 0
    }

    /// The entries of `table`, sorted by key bytes.
    public func entries(in table: ProjectionTable) -> [(key: [UInt8], value: [UInt8])] {
        (self.tables[table] ?? [:])
            .sorted { $0.key < $1.key }
            .map { (key: $0.key.bytes, value: $0.value) }
    }

    /// Every table in a canonical byte form: for each table in `ProjectionTable.allCases` order,
    /// its name, entry count, then each key and value (length-prefixed) in key order. Two stores
    /// are equal exactly when their snapshots are.
    public func snapshot() -> [UInt8] {
        var writer = BinaryWriter(capacity: 4096)
        for table in ProjectionTable.allCases {
            let entries = self.entries(in: table)
            writer.writeString(table.rawValue)
            writer.writeVarint(UInt64(entries.count))
            for entry in entries {
                writer.writeBytes(entry.key)
                writer.writeBytes(entry.value)
            }
        }
        return writer.bytes
    }
}

/// A key as the in-memory tables store it: hashed as one block of bytes and ordered like LMDB's
/// default comparison (bytewise, a prefix first).
private struct StoredKey: Hashable, Comparable, Sendable {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    func hash(into hasher: inout Hasher) {
        self.bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    static func < (lhs: Self, rhs: Self) -> Bool {
        ByteOrder.precedes(lhs.bytes, rhs.bytes)
    }
}
