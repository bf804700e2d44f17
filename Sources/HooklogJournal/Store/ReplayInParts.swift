/// A replay window asked for in as many requests as it takes: a part that one request may not
/// take (`ReplayError.isTooLarge`) is asked for again as its two halves, the earlier first, down
/// to a millisecond. Each part is a replay of its own, journaled whole or not at all; the parts
/// go in time order, so when one fails, everything before its start has been asked for and
/// nothing from it on.
public enum ReplayInParts {
    /// What one request made of its part.
    public enum Answer: Sendable {
        case taken
        /// Too large for one request; `reason` says by what limit.
        case tooLarge(reason: String)
    }

    /// A part that could not be asked for: the window from `sinceMs` on was not replayed, the part
    /// before it was.
    public struct PartFailed: Error, CustomStringConvertible {
        /// Where the window not replayed starts.
        public let sinceMs: UInt64
        /// Why the part failed.
        public let reason: String

        public var description: String { self.reason }
    }

    /// Asks `request` for `criteria`'s window in parts. Returns the windows of the parts taken,
    /// in order.
    public static func request(
        _ criteria: ReplayCriteria,
        _ request: (ReplayCriteria) async throws -> Answer
    ) async throws(PartFailed) -> [Range<UInt64>] {
        var taken: [Range<UInt64>] = []
        // The earliest part waiting is always the last.
        var waiting = [criteria.sinceMs..<criteria.untilMs]
        while let window = waiting.popLast() {
            var part = criteria
            part.sinceMs = window.lowerBound
            part.untilMs = window.upperBound
            let answer: Answer
            do {
                answer = try await request(part)
            } catch {
                throw PartFailed(sinceMs: window.lowerBound, reason: "\(error)")
            }
            switch answer {
            case .taken:
                taken.append(window)
            case .tooLarge(let reason) where window.count == 1:
                throw PartFailed(sinceMs: window.lowerBound, reason: "one millisecond of the window holds too many deliveries for one replay: \(reason)")
            case .tooLarge:
                let middle = window.lowerBound + UInt64(window.count / 2)
                waiting.append(middle..<window.upperBound)
                waiting.append(window.lowerBound..<middle)
            }
        }
        return taken
    }
}
