import HooklogCore

/// One table's changes for a rebuild's flush: two parts, packed at once on two threads and each
/// sorted, written merged.
struct TableChanges {
    let first: PackedChanges
    let second: PackedChanges

    var count: Int { self.first.count + self.second.count }

    /// The first key either part puts, in key order.
    var firstPutKey: [UInt8]? {
        switch (self.first.firstPutKey, self.second.firstPutKey) {
        case (let first?, let second?):
            return first.withUnsafeBytes { first in second.withUnsafeBytes { ByteOrder.precedes($0, first) } } ? second : first
        case (let first, let second):
            return first ?? second
        }
    }

    /// Calls `body` with each change in key order (a key's deletion before its put).
    func forEach(_ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer?) throws -> Void) rethrows {
        try PackedChanges.forEachMerged(self.first, self.second, body)
    }
}
