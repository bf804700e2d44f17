@testable import HooklogJournal
import Testing

/// A rebuild's flush writes each table's changes as two sorted parts merged: the order must be
/// the one a single sorted part would give.
@Suite("A flush's merged table changes")
struct TableChangesTests {
    @Test func twoSortedPartsMergeInKeyOrderWithAKeysDeletionBeforeItsPut() {
        var first = PackedChanges()
        for (key, value) in [("b", "1"), ("d", nil), ("a", "2"), ("e", "3")] as [(String, String?)] {
            first.append(key: Array(key.utf8), value: value.map { Array($0.utf8) })
        }
        var second = PackedChanges()
        // "d" is let go by a row of the first part and taken by one of the second, and "c" the
        // other way round: either way the deletion is written first, so the put wins.
        for (key, value) in [("d", "4"), ("c", nil), ("f", "5"), ("a0", "6")] as [(String, String?)] {
            second.append(key: Array(key.utf8), value: value.map { Array($0.utf8) })
        }
        first.append(key: Array("c".utf8), value: Array("7".utf8))
        first.sortByKey()
        second.sortByKey()
        let merged = TableChanges(first: first, second: second)
        var written: [String] = []
        merged.forEach { key, value in
            written.append(String(decoding: key, as: UTF8.self) + "=" + (value.map { String(decoding: $0, as: UTF8.self) } ?? "deleted"))
        }
        #expect(written == ["a=2", "a0=6", "b=1", "c=deleted", "c=7", "d=deleted", "d=4", "e=3", "f=5"])
        #expect(merged.count == 9)
        #expect(merged.firstPutKey == Array("a".utf8))
        #expect(TableChanges(first: PackedChanges(), second: second).firstPutKey == Array("a0".utf8))
    }
}
