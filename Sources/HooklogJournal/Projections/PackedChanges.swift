import HooklogCore

/// One table's changes for a rebuild's flush, packed back to back into one buffer: a million
/// keys cost a few allocations instead of a million, and sorting moves small fixed-size entries.
struct PackedChanges {
    /// Where one change sits in `bytes`: its key, then its value (none for a deletion).
    private struct Entry {
        var keyStart: Int
        var keyCount: Int32
        /// -1 for a deletion.
        var valueCount: Int32
    }

    private var bytes: [UInt8] = []
    private var entries: [Entry] = []

    var count: Int { self.entries.count }

    /// Adds a change; a `nil` value deletes the key.
    mutating func append(key: [UInt8], value: [UInt8]?) {
        self.entries.append(Entry(keyStart: self.bytes.count, keyCount: Int32(key.count), valueCount: value.map { Int32($0.count) } ?? -1))
        self.bytes.append(contentsOf: key)
        if let value { self.bytes.append(contentsOf: value) }
    }

    /// Sorts the changes by key, and a key's deletion before its put: one row may let go of an
    /// index key (an API key) that another row of the same flush takes, and the rows come in the
    /// order first touched, so the put must win whichever row came first. Skipped when they are
    /// in order already: keys built from time-ordered ids arrive nearly sorted.
    mutating func sortByKey() {
        self.bytes.withUnsafeBytes { raw in
            let precedes = { (left: Entry, right: Entry) in
                let leftKey = Self.key(of: left, in: raw)
                let rightKey = Self.key(of: right, in: raw)
                if ByteOrder.precedes(leftKey, rightKey) { return true }
                return left.valueCount < 0 && right.valueCount >= 0 && leftKey.elementsEqual(rightKey)
            }
            guard !self.entries.indices.dropFirst().allSatisfy({ precedes(self.entries[$0 - 1], self.entries[$0]) }) else { return }
            self.entries.sort(by: precedes)
        }
    }

    /// Calls `body` with each change in order: its key, and its value or `nil` for a deletion.
    func forEach(_ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer?) throws -> Void) rethrows {
        try self.bytes.withUnsafeBytes { raw in
            for entry in self.entries {
                try body(Self.key(of: entry, in: raw), Self.value(of: entry, in: raw))
            }
        }
    }

    /// The key of the first change that puts a value, if any.
    var firstPutKey: [UInt8]? {
        guard let entry = self.entries.first(where: { $0.valueCount >= 0 }) else { return nil }
        return self.bytes.withUnsafeBytes { Array(Self.key(of: entry, in: $0)) }
    }

    private static func key(of entry: Entry, in raw: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: raw[entry.keyStart..<entry.keyStart + Int(entry.keyCount)])
    }

    private static func value(of entry: Entry, in raw: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        guard entry.valueCount >= 0 else { return nil }
        let start = entry.keyStart + Int(entry.keyCount)
        return UnsafeRawBufferPointer(rebasing: raw[start..<start + Int(entry.valueCount)])
    }
}
