/// Why a duration or a retry schedule could not be read.
public struct DurationParseError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Internal: Hashable, Sendable {
        case empty
        case missingUnit(String)
        case unknownUnit(String)
        case invalidNumber(String)
        case tooLarge(String)
        case emptyScheduleEntry(position: Int)
        case retryDelayTooLong(position: Int)
    }

    private let value: Internal

    private init(_ value: Internal) {
        self.value = value
    }

    /// The text was empty.
    public static var empty: Self { Self(.empty) }
    /// A number had no unit (`"10"`).
    public static func missingUnit(_ text: String) -> Self { Self(.missingUnit(text)) }
    /// The unit is not one of `ms`, `s`, `m`, `h`, `d` (`"10x"`).
    public static func unknownUnit(_ text: String) -> Self { Self(.unknownUnit(text)) }
    /// The number is not a non-negative whole number (`"-1s"`, `"1.5s"`, `"s"`).
    public static func invalidNumber(_ text: String) -> Self { Self(.invalidNumber(text)) }
    /// The duration does not fit in 64-bit milliseconds.
    public static func tooLarge(_ text: String) -> Self { Self(.tooLarge(text)) }
    /// A schedule had an empty entry (`"5s,,10s"`); `position` counts from 1.
    public static func emptyScheduleEntry(position: Int) -> Self { Self(.emptyScheduleEntry(position: position)) }
    /// A schedule's delay is longer than `RetrySchedule.longestDelayMs`; `position` counts from 1.
    public static func retryDelayTooLong(position: Int) -> Self { Self(.retryDelayTooLong(position: position)) }

    /// A sentence for logs and error responses (never a secret).
    public var description: String {
        let expected = "expected a whole number and a unit (ms, s, m, h, d), e.g. 500ms or 10s"
        return switch self.value {
        case .empty: "empty duration: \(expected)"
        case .missingUnit(let text): "\"\(text)\" has no unit: \(expected)"
        case .unknownUnit(let text): "\"\(text)\" has an unknown unit: \(expected)"
        case .invalidNumber(let text): "\"\(text)\" is not a duration: \(expected)"
        case .tooLarge(let text): "\"\(text)\" is too long a duration"
        case .emptyScheduleEntry(let position):
            "entry \(position) of the retry schedule is empty: expected comma-separated durations, e.g. 50ms,100ms,200ms"
        case .retryDelayTooLong(let position):
            "entry \(position) of the retry schedule is longer than \(RetrySchedule.longestDelayMs / 3_600_000)h: with its jitter a retry "
                + "must come within 25 hours of the attempt before it, or an endpoint failing all along would never be disabled"
        }
    }
}
