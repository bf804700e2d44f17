/// Decides, after each attempt, whether a delivery succeeded, retries (and when), fails, or disables its endpoint.
///
/// Any 2xx succeeds. 410 Gone disables the endpoint. 5xx, 429, timeouts and connection errors retry;
/// other 4xx retry unless the profile says not (mid-call); other statuses (1xx, 3xx) retry. Retry n waits
/// `schedule.delaysMs[n − 1]` ± `jitterFraction`, or longer when the endpoint asked (`Retry-After`);
/// after the last one the delivery fails as exhausted.
public struct RetryPolicy: Hashable, Sendable {
    /// The default jitter: ±20 %.
    public static let defaultJitterFraction = 0.2

    /// The delays between attempts.
    public var schedule: RetrySchedule
    /// How far a delay may stray either way, as a fraction of it (0.2: ±20 %); kept within 0…1.
    public var jitterFraction: Double

    /// A policy with `schedule` and `jitterFraction`.
    public init(schedule: RetrySchedule = .standard, jitterFraction: Double = Self.defaultJitterFraction) {
        self.schedule = schedule
        self.jitterFraction = jitterFraction.isFinite ? min(max(jitterFraction, 0), 1) : Self.defaultJitterFraction
    }

    /// The delay before retry `retryNumber` (1 for the retry after the first try), jittered;
    /// `nil` once the schedule is used up.
    ///
    /// - Parameter jitter: Where in the jitter band the delay lands, from −1 (shortest) through 0 (as scheduled)
    ///   to 1 (longest); values outside are clamped.
    public func delayMs(beforeRetry retryNumber: Int, jitter: Double) -> Int64? {
        guard retryNumber >= 1, retryNumber <= self.schedule.delaysMs.count else { return nil }
        let baseMs = self.schedule.delaysMs[retryNumber - 1]
        let position = jitter.isFinite ? min(max(jitter, -1), 1) : 0
        let offset = (Double(baseMs) * self.jitterFraction * position).rounded()
        guard offset.magnitude < 9.0e18 else { return baseMs }
        let (delayMs, overflow) = baseMs.addingReportingOverflow(Int64(offset))
        return overflow ? Int64.max : max(0, delayMs)
    }

    /// What follows attempt `attemptNumber` (1 for the first try) that ended with `outcome` at `nowMs`.
    /// For a delivery, the number is its place in the delivery's current run
    /// (`DeliveryState.attemptsInCurrentRun`), not among all its attempts.
    ///
    /// - Parameters:
    ///   - retries4xx: The profile's choice: whether a 4xx other than 410 and 429 is retried.
    ///   - askedDelayMs: The wait the endpoint asked for (`RetryAfter`): a retry comes no sooner,
    ///     unless that is past the schedule's longest delay, where it comes then. An endpoint may
    ///     slow each retry down to that delay at most (a run of retries then lasts up to that
    ///     many times the longest delay), never add a retry or hold one back longer.
    ///   - jitter: In −1…1, where in the jitter band a retry lands (the caller draws it; see the generator overload).
    public func decide(
        attemptNumber: Int,
        outcome: AttemptOutcome,
        retries4xx: Bool,
        askedDelayMs: UInt64? = nil,
        nowMs: Int64,
        jitter: Double
    ) -> RetryDecision {
        switch Self.classify(outcome, retries4xx: retries4xx) {
        case .success:
            return .succeeded
        case .gone:
            return .disableEndpoint(reason: .gone)
        case .permanent:
            return .failed(reason: .notRetryable)
        case .transient:
            guard var delayMs = self.delayMs(beforeRetry: attemptNumber, jitter: jitter) else {
                return .failed(reason: .retriesExhausted)
            }
            if let askedDelayMs, let longestMs = self.schedule.delaysMs.max() {
                delayMs = max(delayMs, Int64(min(askedDelayMs, UInt64(max(0, longestMs)))))
            }
            let (dueAtMs, overflow) = nowMs.addingReportingOverflow(delayMs)
            return .retry(dueAtMs: overflow ? Int64.max : dueAtMs)
        }
    }

    /// `decide` with the jitter drawn uniformly from −1…1 by `generator`.
    public func decide(
        attemptNumber: Int,
        outcome: AttemptOutcome,
        retries4xx: Bool,
        askedDelayMs: UInt64? = nil,
        nowMs: Int64,
        using generator: inout some RandomNumberGenerator
    ) -> RetryDecision {
        let jitter = Double.random(in: -1...1, using: &generator)
        return self.decide(attemptNumber: attemptNumber, outcome: outcome, retries4xx: retries4xx, askedDelayMs: askedDelayMs, nowMs: nowMs, jitter: jitter)
    }

    private enum OutcomeClass {
        case success, gone, permanent, transient
    }

    private static func classify(_ outcome: AttemptOutcome, retries4xx: Bool) -> OutcomeClass {
        switch outcome {
        case .error:
            return .transient
        case .status(let code):
            switch code {
            case 200...299: return .success
            case 410: return .gone
            case 429, 500...599: return .transient
            case 400...499: return retries4xx ? .transient : .permanent
            default: return .transient
            }
        }
    }
}
