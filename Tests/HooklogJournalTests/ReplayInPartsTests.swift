import HooklogCore
import HooklogJournal
import Testing

/// A window too large for one replay request is asked for in two parts, the earlier first (split
/// where the request says, else in halves), until every part is taken; the parts cover it
/// exactly, in order.
@Suite("Replay in parts")
struct ReplayInPartsTests {
    private static let window = ReplayCriteria(sinceMs: 1_000, untilMs: 1_100, statusFilter: .failed, eventTypes: ["call.completed"])

    @Test func aWindowTooLargeForOneRequestIsAskedForInHalvesInOrder() async throws {
        var asked: [Range<UInt64>] = []
        let taken = try await ReplayInParts.request(Self.window) { part in
            #expect(part.statusFilter == .failed && part.eventTypes == ["call.completed"], "the filters go with every part")
            asked.append(part.sinceMs..<part.untilMs)
            return part.untilMs - part.sinceMs <= 30 ? .taken(()) : .tooLarge(reason: "at most 30 ms", splitAtMs: nil)
        }.map(\.window)
        #expect(taken.first?.lowerBound == 1_000 && taken.last?.upperBound == 1_100)
        #expect(zip(taken, taken.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound }, "contiguous, in order: \(taken)")
        #expect(taken.allSatisfy { $0.count <= 30 } && taken.count == 4)
        #expect(asked.first == 1_000..<1_100 && asked.count == 7, "the whole, two halves, four quarters: \(asked)")

        let whole = try await ReplayInParts.request(Self.window) { _ in .taken(()) }.map(\.window)
        #expect(whole == [1_000..<1_100], "a window that fits is one request")
    }

    /// Where a request says the limit was reached, the window is split there: each refusal then
    /// leaves a part that fits, so the parts follow the deliveries, not halves of the time.
    @Test func aWindowIsSplitWhereTheLimitWasReached() async throws {
        var askedCount = 0
        let taken = try await ReplayInParts.request(Self.window) { part in
            askedCount += 1
            return part.untilMs - part.sinceMs <= 30 ? .taken(()) : .tooLarge(reason: "at most 30 ms", splitAtMs: part.sinceMs + 30)
        }.map(\.window)
        #expect(taken == [1_000..<1_030, 1_030..<1_060, 1_060..<1_090, 1_090..<1_100] && askedCount == 7)
        // A split point outside the part (here at its start) is no split: halves are.
        let halved = try await ReplayInParts.request(Self.window) { part in
            part.untilMs - part.sinceMs <= 50 ? .taken(()) : .tooLarge(reason: "at most 50 ms", splitAtMs: part.sinceMs)
        }.map(\.window)
        #expect(halved == [1_000..<1_050, 1_050..<1_100])
    }

    /// A millisecond too large for one request cannot be split; a part that fails, or gets no
    /// answer, stops the rest. The failure says why, and where the window not replayed starts.
    @Test func aPartThatFailsSaysFromWhereNothingWasReplayed() async throws {
        let indivisible = try await #require(throws: ReplayInParts.PartFailed.self) {
            try await ReplayInParts.request(Self.window) { part in
                part.sinceMs == 1_050 && part.untilMs == 1_051 ? .tooLarge(reason: "at most 3", splitAtMs: nil) : (part.untilMs - part.sinceMs <= 1 ? .taken(()) : .tooLarge(reason: "at most 3", splitAtMs: nil))
            }
        }
        #expect(indivisible.sinceMs == 1_050 && indivisible.cause == .indivisible, "\(indivisible)")

        struct Down: Error {}
        var asked: [UInt64] = []
        let failed = try await #require(throws: ReplayInParts.PartFailed.self) {
            try await ReplayInParts.request(Self.window) { part in
                asked.append(part.sinceMs)
                if part.sinceMs >= 1_050 { throw Down() }
                return part.untilMs - part.sinceMs <= 50 ? .taken(()) : .tooLarge(reason: "at most 50 ms", splitAtMs: nil)
            }
        }
        #expect(failed.sinceMs == 1_050 && failed.cause == .failed && asked == [1_000, 1_000, 1_050], "\(asked)")

        let unanswered = try await #require(throws: ReplayInParts.PartFailed.self) {
            try await ReplayInParts.request(Self.window) { _ -> ReplayInParts.Answer<Void> in throw ReplayInParts.Unanswered("timed out") }
        }
        #expect(unanswered.sinceMs == 1_000 && unanswered.untilMs == 1_100 && unanswered.cause == .unanswered)
    }
}
