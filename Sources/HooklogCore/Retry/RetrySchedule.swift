/// The delays before each retry, counted from the end of the attempt before it.
public struct RetrySchedule: Hashable, Sendable, Codable {
    /// 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: seven retries over about 28 hours.
    public static let standard = RetrySchedule(delaysMs: [
        5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
    ])

    /// The delay before retry n (index n − 1), in ms; empty means a failure is final after the first try.
    public var delaysMs: [Int64]

    /// A schedule of `delaysMs`; negative delays count as zero.
    public init(delaysMs: [Int64]) {
        self.delaysMs = delaysMs.map { max(0, $0) }
    }

    /// The longest delay a configured schedule may hold: 20 h, 24 h with the most jitter
    /// (`RetryPolicy.defaultJitterFraction`), so that with the time the attempt takes a retry
    /// still comes within `EndpointState.failingRunBreakMs` (25 h) of the attempt before it,
    /// and an endpoint failing all along is never taken for one that stopped failing (and so
    /// escapes being disabled).
    public static let longestDelayMs: Int64 = 20 * 60 * 60 * 1000

    /// Reads the `HOOKLOG_RETRY_SCHEDULE` format: comma-separated durations, e.g. `50ms,100ms,200ms`
    /// or `5s,5m,2h`, none longer than `longestDelayMs`.
    public init(parsing text: String) throws(DurationParseError) {
        let delaysMs = try DurationParser.millisecondsList(text)
        if let index = delaysMs.firstIndex(where: { $0 > Self.longestDelayMs }) {
            throw .retryDelayTooLong(position: index + 1)
        }
        self.init(delaysMs: delaysMs)
    }

    /// How many attempts a delivery gets in all: the first try and one per delay.
    public var maximumAttempts: Int { self.delaysMs.count + 1 }
}
