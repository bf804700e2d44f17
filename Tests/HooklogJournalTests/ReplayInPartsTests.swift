import HooklogCore
import HooklogJournal
import Testing

/// A window too large for one replay request is asked for in halves, the earlier first, until
/// every part is taken; the parts cover it exactly, in order.
@Suite("Replay in parts")
struct ReplayInPartsTests {
    private static let window = ReplayCriteria(sinceMs: 1_000, untilMs: 1_100, statusFilter: .failed, eventTypes: ["call.completed"])

    @Test func aWindowTooLargeForOneRequestIsAskedForInHalvesInOrder() async throws {
        var asked: [Range<UInt64>] = []
        let taken = try await ReplayInParts.request(Self.window) { part in
            #expect(part.statusFilter == .failed && part.eventTypes == ["call.completed"], "the filters go with every part")
            asked.append(part.sinceMs..<part.untilMs)
            return part.untilMs - part.sinceMs <= 30 ? .taken : .tooLarge(reason: "at most 30 ms")
        }
        #expect(taken.first?.lowerBound == 1_000 && taken.last?.upperBound == 1_100)
        #expect(zip(taken, taken.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound }, "contiguous, in order: \(taken)")
        #expect(taken.allSatisfy { $0.count <= 30 } && taken.count == 4)
        #expect(asked.first == 1_000..<1_100 && asked.count == 7, "the whole, two halves, four quarters: \(asked)")

        let whole = try await ReplayInParts.request(Self.window) { _ in .taken }
        #expect(whole == [1_000..<1_100], "a window that fits is one request")
    }

    /// A millisecond too large for one request cannot be split; a part that fails stops the rest.
    /// Either way the failure says where the window not replayed starts.
    @Test func aPartThatFailsSaysFromWhereNothingWasReplayed() async throws {
        let indivisible = try await #require(throws: ReplayInParts.PartFailed.self) {
            try await ReplayInParts.request(Self.window) { part in
                part.sinceMs == 1_050 && part.untilMs == 1_051 ? .tooLarge(reason: "at most 3") : (part.untilMs - part.sinceMs <= 1 ? .taken : .tooLarge(reason: "at most 3"))
            }
        }
        #expect(indivisible.sinceMs == 1_050 && indivisible.reason.contains("one millisecond"), "\(indivisible)")

        struct Down: Error {}
        var asked: [UInt64] = []
        let failed = try await #require(throws: ReplayInParts.PartFailed.self) {
            try await ReplayInParts.request(Self.window) { part in
                asked.append(part.sinceMs)
                if part.sinceMs >= 1_050 { throw Down() }
                return part.untilMs - part.sinceMs <= 50 ? .taken : .tooLarge(reason: "at most 50 ms")
            }
        }
        #expect(failed.sinceMs == 1_050 && asked == [1_000, 1_000, 1_050], "\(asked)")
    }
}
