/// A replay window asked for in as many requests as it takes: a part that one request may not
/// take (`ReplayError.splitAtMs`) is asked for again in two, split where the request says the
/// limit was reached, else in halves, the earlier part first, down to a millisecond. Each part
/// is a request of its own (one replay, or one per tenant), journaled whole or not at all; the
/// parts go in time order, so when one fails, everything before its start has been asked for
/// and nothing from it on.
public enum ReplayInParts {
    /// What one request made of its part: taken, with what its answer said.
    public enum Answer<Taken> {
        case taken(Taken)
        /// Too large for one request; `reason` says by what limit, `splitAtMs` where it was reached.
        case tooLarge(reason: String, splitAtMs: UInt64?)
    }

    /// Thrown by a request whose answer never came: its part may or may not have been taken.
    public struct Unanswered: Error, CustomStringConvertible {
        public let description: String

        public init(_ description: String) {
            self.description = description
        }
    }

    /// A part, `sinceMs..<untilMs`, that could not be asked for: the window from `sinceMs` on was
    /// not replayed (or, when `cause` is `unanswered`, perhaps that part was), the part before it was.
    public struct PartFailed: Error, CustomStringConvertible {
        /// Why.
        public enum Cause: Sendable {
            /// The request failed.
            case failed
            /// One millisecond, `sinceMs`, holds more than one request may take.
            case indivisible
            /// No answer came (`Unanswered`).
            case unanswered
        }

        /// Where the window not replayed starts.
        public let sinceMs: UInt64
        /// Where the part ends.
        public let untilMs: UInt64
        public let cause: Cause
        /// What the request said, or why it failed.
        public let reason: String

        public var description: String { self.reason }
    }

    /// Asks `request` for `criteria`'s window in parts. Returns the windows of the parts taken,
    /// in order, with what each answer said.
    public static func request<Taken>(
        _ criteria: ReplayCriteria,
        _ request: (ReplayCriteria) async throws -> Answer<Taken>
    ) async throws(PartFailed) -> [(window: Range<UInt64>, answer: Taken)] {
        var taken: [(window: Range<UInt64>, answer: Taken)] = []
        // The earliest part waiting is always the last.
        var waiting = [criteria.sinceMs..<criteria.untilMs]
        while let window = waiting.popLast() {
            var part = criteria
            part.sinceMs = window.lowerBound
            part.untilMs = window.upperBound
            let answer: Answer<Taken>
            do {
                answer = try await request(part)
            } catch let error as Unanswered {
                throw PartFailed(sinceMs: window.lowerBound, untilMs: window.upperBound, cause: .unanswered, reason: error.description)
            } catch {
                throw PartFailed(sinceMs: window.lowerBound, untilMs: window.upperBound, cause: .failed, reason: "\(error)")
            }
            switch answer {
            case .taken(let answer):
                taken.append((window, answer))
            case .tooLarge(let reason, _) where window.count == 1:
                throw PartFailed(sinceMs: window.lowerBound, untilMs: window.upperBound, cause: .indivisible, reason: reason)
            case .tooLarge(_, let splitAtMs):
                let split = splitAtMs.flatMap { window.lowerBound < $0 && $0 < window.upperBound ? $0 : nil }
                let middle = split ?? window.lowerBound + (window.upperBound - window.lowerBound) / 2
                waiting.append(middle..<window.upperBound)
                waiting.append(window.lowerBound..<middle)
            }
        }
        return taken
    }
}
