import HooklogCore

/// A rebuild's projection changes, held in memory over the tables already written to LMDB.
///
/// Replaying a log rewrites a delivery's state four or five times and puts and deletes its due
/// and in-flight keys; in memory each of those is a hash-table update, and only the final value
/// of each key reaches LMDB, in key order, when the overlay is flushed. Each table keeps its
/// changes in the order first made: keys built from time-ordered ids arrive nearly sorted, which
/// the flush's sort then finds cheap.
final class ProjectionOverlay {
    /// One table's changes in the order first made; a `nil` value deletes the key.
    private var tables = [[(key: [UInt8], value: [UInt8]?)]](repeating: [], count: ProjectionTable.allCases.count)
    /// Where each (table, key) sits in its table's changes: one hash table for all tables, sized
    /// once, so that it never grows by rehashing a million keys.
    private var positions: [OverlayKey: Int]

    /// An empty overlay with room for `expectedKeyCount` keys before its hash table grows.
    init(expectedKeyCount: Int) {
        self.positions = Dictionary(minimumCapacity: expectedKeyCount)
    }

    /// How many keys the overlay holds, deletions included: what its memory grows with.
    var keyCount: Int { self.positions.count }

    /// The change held for `key`: `nil` when the overlay has none, `.some(nil)` when it deletes it.
    func change(in table: ProjectionTable, forKey key: [UInt8]) -> [UInt8]?? {
        guard let position = self.positions[OverlayKey(table, key)] else { return nil }
        return .some(self.tables[table.ordinal][position].value)
    }

    /// Applies one record's changes in order.
    func apply(_ changes: [ProjectionChange]) {
        for change in changes {
            switch change {
            case .put(let table, let key, let value):
                self.set(value, forKey: key, in: table)
            case .delete(let table, let key):
                self.set(nil, forKey: key, in: table)
            }
        }
    }

    /// Takes every change out, each table's sorted by key with each key once (indexed by
    /// ordinal), and leaves the overlay empty with its hash table's room.
    func drainSorted() -> [[(key: [UInt8], value: [UInt8]?)]] {
        self.positions.removeAll(keepingCapacity: true)
        return self.tables.indices.map { ordinal in
            // Moved out, not copied: the sort then owns the only reference.
            var entries = self.tables[ordinal]
            self.tables[ordinal] = []
            let isSorted = entries.indices.dropFirst().allSatisfy { ByteOrder.precedes(entries[$0 - 1].key, entries[$0].key) }
            if !isSorted {
                // Stable and run-aware: nearly sorted input costs little more than the check above.
                entries.sort { ByteOrder.precedes($0.key, $1.key) }
            }
            return entries
        }
    }

    private func set(_ value: [UInt8]?, forKey key: [UInt8], in table: ProjectionTable) {
        let ordinal = table.ordinal
        let count = self.tables[ordinal].count
        // One hash lookup whether the key is new or not: a new key takes the next position.
        let position = Self.value(of: &self.positions[OverlayKey(table, key), default: count])
        if position == count {
            self.tables[ordinal].append((key: key, value: value))
        } else {
            self.tables[ordinal][position].value = value
        }
    }
}

extension ProjectionOverlay {
    fileprivate static func value(of slot: inout Int) -> Int { slot }
}

/// A projection key as the overlay's hash table holds it.
///
/// Every key ends in a random id or digest, so its last eight bytes hash as well as all of it
/// at a fraction of the cost; equality still compares every byte.
struct OverlayKey: Hashable {
    let table: ProjectionTable
    let bytes: [UInt8]

    init(_ table: ProjectionTable, _ bytes: [UInt8]) {
        self.table = table
        self.bytes = bytes
    }

    func hash(into hasher: inout Hasher) {
        self.bytes.withUnsafeBytes { raw in
            if raw.count >= 8 {
                hasher.combine(raw.loadUnaligned(fromByteOffset: raw.count - 8, as: UInt64.self) &+ UInt64(self.table.ordinal))
            } else {
                hasher.combine(bytes: raw)
                hasher.combine(self.table.ordinal)
            }
        }
    }
}
