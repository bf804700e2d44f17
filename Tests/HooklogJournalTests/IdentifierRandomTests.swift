import HooklogCore
import HooklogJournal
import Testing

@Suite("IdentifierRandom hands out kernel random bits, each once")
struct IdentifierRandomTests {
    @Test func testWordsAcrossManyRefillsAreDistinctAndEveryBitIsBalanced() {
        var random = IdentifierRandom()
        let words = (0..<10_000).map { _ in random.next() }
        // Two equal 64-bit words among 10,000 random ones: a chance of about 3e-12.
        #expect(Set(words).count == words.count)
        for bit in 0..<64 {
            let ones = words.count { $0 >> UInt64(bit) & 1 == 1 }
            // Binomial(10,000, 1/2): 4,700 and 5,300 are six standard deviations out.
            #expect((4_700...5_300).contains(ones), "bit \(bit) was set \(ones) times in 10,000")
        }
    }

    @Test func testConcurrentDrawsNeverShareAWord() async {
        let words = await withTaskGroup(of: [UInt64].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    var random = IdentifierRandom()
                    return (0..<2_000).map { _ in random.next() }
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(words.count == 8_000)
        #expect(Set(words).count == 8_000)
    }

    @Test func testIdentifiersFromItCarryTheirTimeAndDiffer() {
        var random = IdentifierRandom()
        let ids = (0..<1_000).map { _ in EventID.generate(timeMs: 1_700_000_000_000, using: &random) }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.timeMs == 1_700_000_000_000 })
    }
}
