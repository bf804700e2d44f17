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
                Self.precedes(Self.key(of: left, in: raw), isDeletion: left.valueCount < 0, Self.key(of: right, in: raw), isDeletion: right.valueCount < 0)
            }
            guard !self.entries.indices.dropFirst().allSatisfy({ precedes(self.entries[$0 - 1], self.entries[$0]) }) else { return }
            self.entries.sort(by: precedes)
        }
    }

    /// The order of `sortByKey`: by key, and a key's deletion before its put.
    private static func precedes(_ leftKey: UnsafeRawBufferPointer, isDeletion leftIsDeletion: Bool, _ rightKey: UnsafeRawBufferPointer, isDeletion rightIsDeletion: Bool) -> Bool {
        if ByteOrder.precedes(leftKey, rightKey) { return true }
        return leftIsDeletion && !rightIsDeletion && leftKey.elementsEqual(rightKey)
    }

    /// Calls `body` with the changes of `left` and `right`, each sorted (`sortByKey`), merged in
    /// that order: a key's deletion still comes before its put, whichever part holds which.
    static func forEachMerged(
        _ left: PackedChanges,
        _ right: PackedChanges,
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer?) throws -> Void
    ) rethrows {
        try left.bytes.withUnsafeBytes { leftRaw in
            try right.bytes.withUnsafeBytes { rightRaw in
                var leftIndex = 0
                var rightIndex = 0
                while leftIndex < left.entries.count || rightIndex < right.entries.count {
                    let takesLeft: Bool
                    if leftIndex == left.entries.count {
                        takesLeft = false
                    } else if rightIndex == right.entries.count {
                        takesLeft = true
                    } else {
                        let leftEntry = left.entries[leftIndex]
                        let rightEntry = right.entries[rightIndex]
                        // Right first only when it must be: equal keys keep their parts' order.
                        takesLeft = !Self.precedes(
                            Self.key(of: rightEntry, in: rightRaw), isDeletion: rightEntry.valueCount < 0,
                            Self.key(of: leftEntry, in: leftRaw), isDeletion: leftEntry.valueCount < 0
                        )
                    }
                    if takesLeft {
                        let entry = left.entries[leftIndex]
                        try body(Self.key(of: entry, in: leftRaw), Self.value(of: entry, in: leftRaw))
                        leftIndex += 1
                    } else {
                        let entry = right.entries[rightIndex]
                        try body(Self.key(of: entry, in: rightRaw), Self.value(of: entry, in: rightRaw))
                        rightIndex += 1
                    }
                }
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
