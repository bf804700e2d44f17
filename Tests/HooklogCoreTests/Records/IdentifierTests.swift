import HooklogCore
import HooklogTestSupport
import Testing

@Suite("Identifiers")
struct IdentifierTests {
    @Test func idTextIsPrefixUnderscoreAndTwentySixLowerCaseCharacters() {
        #expect(EventID(rawValue: 0).description == "evt_00000000000000000000000000")
        #expect(TenantID(rawValue: .max).description == "ten_7zzzzzzzzzzzzzzzzzzzzzzzzz")
        #expect(EndpointID(rawValue: 1).description.hasPrefix("ep_"))
        #expect(DeliveryID(rawValue: 1).description.hasPrefix("dlv_"))
        #expect(ReplayID(rawValue: 1).description.hasPrefix("rpl_"))
        #expect(InvocationID(rawValue: 1).description.hasPrefix("inv_"))
    }

    @Test func idCarriesTheMillisecondsItWasMadeAtLikeAULID() throws {
        // The ULID reference: ulid(1469918176385) == "01ARYZ6S41TSV4RRFFQ69G5FAV".
        let id = try #require(EventID.parse("evt_01aryz6s41tsv4rrffq69g5fav"))
        #expect(id.timeMs == 1_469_918_176_385)
    }

    @Test func generatedIDsRoundTripThroughTextAndBytes() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<2_000 {
            let timeMs = UInt64.random(in: 0...EventID.maxTimeMs, using: &generator)
            let id = DeliveryID.generate(timeMs: timeMs, using: &generator)
            #expect(id.timeMs == timeMs)
            #expect(DeliveryID.parse(id.description) == id)
            #expect(DeliveryID(bytes: id.bytes) == id)
            #expect(id.bytes.count == 16)
        }
    }

    @Test func generationIsDeterministicForTheSameTimeAndSeed() {
        var first = SeededGenerator(seed: 99)
        var second = SeededGenerator(seed: 99)
        #expect(EventID.generate(timeMs: 5, using: &first) == EventID.generate(timeMs: 5, using: &second))
    }

    @Test func idsSortByTimeAsValuesTextsAndBytes() {
        var generator = SeededGenerator(seed: 3)
        let ids = (0..<500).map { _ in
            EventID.generate(timeMs: UInt64.random(in: 0...1_000, using: &generator), using: &generator)
        }
        let byValue = ids.sorted()
        #expect(byValue.map(\.description) == ids.map(\.description).sorted())
        #expect(byValue.map(\.bytes) == ids.map(\.bytes).sorted { $0.lexicographicallyPrecedes($1) })
        #expect(zip(byValue, byValue.dropFirst()).allSatisfy { $0.timeMs <= $1.timeMs })
    }

    @Test(arguments: [
        "",
        "evt_",
        "evt_0000000000000000000000000",  // 25 characters
        "evt_000000000000000000000000000",  // 27 characters
        "ep_00000000000000000000000000",  // another kind's prefix
        "EVT_00000000000000000000000000",
        "evt-00000000000000000000000000",
        "evt_0000000000000000000000000A",  // upper case
        "evt_0000000000000000000000000i",  // Crockford aliases are not canonical
        "evt_0000000000000000000000000l",
        "evt_0000000000000000000000000o",
        "evt_0000000000000000000000000u",
        "evt_80000000000000000000000000",  // beyond 128 bits
        "evt_0000000000000000000000000é",
        " evt_00000000000000000000000000",
    ])
    func parseRejectsAnythingButTheCanonicalText(_ text: String) {
        #expect(EventID.parse(text) == nil)
    }

    @Test func binaryFormNeedsExactlySixteenBytes() {
        #expect(EventID(bytes: [UInt8](repeating: 0, count: 15)) == nil)
        #expect(EventID(bytes: [UInt8](repeating: 0, count: 17)) == nil)
        #expect(EventID(bytes: [UInt8](repeating: 0xFF, count: 16)) == EventID(rawValue: .max))
    }
}
