import HooklogCore
import HooklogTestSupport
import Testing

@Suite("Retry policy")
struct RetryPolicyTests {
    let policy = RetryPolicy()
    let nowMs: Int64 = 1_000_000

    @Test func theDefaultScheduleIsTheDesigns() {
        #expect(RetrySchedule.standard.delaysMs == [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000])
        #expect(self.policy.jitterFraction == 0.2)
    }

    @Test func withoutJitterEachRetryIsDueAfterItsScheduledDelay() {
        for (index, delayMs) in RetrySchedule.standard.delaysMs.enumerated() {
            let decision = self.policy.decide(
                attemptNumber: index + 1, outcome: .status(503), retries4xx: true, nowMs: self.nowMs, jitter: 0)
            #expect(decision == .retry(dueAtMs: self.nowMs + delayMs))
        }
    }

    @Test func afterTheLastScheduledRetryTheDeliveryIsExhausted() {
        let decision = self.policy.decide(attemptNumber: 8, outcome: .status(500), retries4xx: true, nowMs: self.nowMs, jitter: 0)
        #expect(decision == .failed(reason: .retriesExhausted))
    }

    @Test func jitterAtTheEdgesIsExactlyTwentyPercentEitherWay() {
        #expect(self.policy.delayMs(beforeRetry: 2, jitter: -1) == 240_000)
        #expect(self.policy.delayMs(beforeRetry: 2, jitter: 1) == 360_000)
        #expect(self.policy.delayMs(beforeRetry: 2, jitter: 5) == 360_000)  // clamped
        #expect(self.policy.delayMs(beforeRetry: 2, jitter: .nan) == 300_000)
    }

    @Test func drawnJitterStaysWithinTwentyPercentAndSpreadsAcrossTheBand() {
        var generator = SeededGenerator(seed: 42)
        var delays: [Int64] = []
        for _ in 0..<2000 {
            guard
                case .retry(let dueAtMs) = self.policy.decide(
                    attemptNumber: 1, outcome: .error(.timeout), retries4xx: true, nowMs: self.nowMs, using: &generator
                )
            else {
                Issue.record("a timeout must retry")
                return
            }
            delays.append(dueAtMs - self.nowMs)
        }
        #expect(delays.allSatisfy { (4_000...6_000).contains($0) })
        #expect(delays.min()! < 4_200)
        #expect(delays.max()! > 5_800)
    }

    @Test(arguments: [200, 201, 202, 204, 299])
    func any2xxSucceeds(status: Int) {
        #expect(
            self.policy.decide(attemptNumber: 1, outcome: .status(status), retries4xx: false, nowMs: self.nowMs, jitter: 0) == .succeeded)
    }

    @Test(arguments: [500, 502, 503, 504, 599, 429, 301, 100])
    func serverErrorsRateLimitsAndOddStatusesRetry(status: Int) {
        for retries4xx in [true, false] {
            let decision = self.policy.decide(
                attemptNumber: 1, outcome: .status(status), retries4xx: retries4xx, nowMs: self.nowMs, jitter: 0)
            #expect(decision == .retry(dueAtMs: self.nowMs + 5_000))
        }
    }

    @Test(arguments: AttemptErrorKind.allCases)
    func errorsWithoutAnAnswerRetry(kind: AttemptErrorKind) {
        let decision = self.policy.decide(attemptNumber: 1, outcome: .error(kind), retries4xx: false, nowMs: self.nowMs, jitter: 0)
        #expect(decision == .retry(dueAtMs: self.nowMs + 5_000))
    }

    @Test(arguments: [400, 401, 403, 404, 408, 422, 499])
    func other4xxRetryByDefaultAndFailAtOnceWhereTheProfileSaysSo(status: Int) {
        #expect(
            self.policy.decide(attemptNumber: 1, outcome: .status(status), retries4xx: true, nowMs: self.nowMs, jitter: 0)
                == .retry(dueAtMs: self.nowMs + 5_000))
        #expect(
            self.policy.decide(attemptNumber: 1, outcome: .status(status), retries4xx: false, nowMs: self.nowMs, jitter: 0)
                == .failed(reason: .notRetryable))
    }

    @Test func goneDisablesTheEndpointWhateverTheProfile() {
        for retries4xx in [true, false] {
            #expect(
                self.policy.decide(attemptNumber: 3, outcome: .status(410), retries4xx: retries4xx, nowMs: self.nowMs, jitter: 0)
                    == .disableEndpoint(reason: .gone))
        }
    }

    @Test func aMillisecondTestScheduleRetriesThreeTimesThenFails() throws {
        let policy = RetryPolicy(schedule: try RetrySchedule(parsing: "50ms,100ms,200ms"))
        let decisions = (1...4).map {
            policy.decide(attemptNumber: $0, outcome: .status(500), retries4xx: true, nowMs: 0, jitter: 0)
        }
        #expect(decisions == [.retry(dueAtMs: 50), .retry(dueAtMs: 100), .retry(dueAtMs: 200), .failed(reason: .retriesExhausted)])
    }

    @Test func anEmptyScheduleFailsAfterTheFirstTry() {
        let policy = RetryPolicy(schedule: RetrySchedule(delaysMs: []))
        #expect(
            policy.decide(attemptNumber: 1, outcome: .status(500), retries4xx: true, nowMs: 0, jitter: 0) == .failed(reason: .retriesExhausted))
    }

    @Test func aHugeDelayDoesNotOverflowTheDueTime() {
        let policy = RetryPolicy(schedule: RetrySchedule(delaysMs: [Int64.max]))
        #expect(
            policy.decide(attemptNumber: 1, outcome: .status(500), retries4xx: true, nowMs: self.nowMs, jitter: 1)
                == .retry(dueAtMs: Int64.max))
    }
}

@Suite("Retry policy with a Retry-After")
struct RetryPolicyAskedDelayTests {
    let policy = RetryPolicy()
    let nowMs: Int64 = 1_000_000

    @Test func aRetryComesNoSoonerThanTheEndpointAsked() {
        let decision = self.policy.decide(attemptNumber: 1, outcome: .status(503), retries4xx: true, askedDelayMs: 60_000, nowMs: self.nowMs, jitter: 0)
        #expect(decision == .retry(dueAtMs: self.nowMs + 60_000))
    }

    @Test func aShorterWaitThanTheScheduleLeavesTheSchedulesDelay() {
        let decision = self.policy.decide(attemptNumber: 2, outcome: .status(429), retries4xx: true, askedDelayMs: 1_000, nowMs: self.nowMs, jitter: 0)
        #expect(decision == .retry(dueAtMs: self.nowMs + 300_000))
    }

    @Test func theWaitIsHeldToTheSchedulesLongestDelay() {
        let decision = self.policy.decide(attemptNumber: 1, outcome: .status(503), retries4xx: true, askedDelayMs: UInt64.max, nowMs: self.nowMs, jitter: 0)
        #expect(decision == .retry(dueAtMs: self.nowMs + 36_000_000))
        let short = RetryPolicy(schedule: RetrySchedule(delaysMs: [50, 200]), jitterFraction: 0)
        #expect(short.decide(attemptNumber: 1, outcome: .status(503), retries4xx: true, askedDelayMs: 5_000, nowMs: self.nowMs, jitter: 0) == .retry(dueAtMs: self.nowMs + 200))
    }

    @Test func anAskedWaitDoesNotAddARetryOrChangeAVerdict() {
        #expect(self.policy.decide(attemptNumber: 8, outcome: .status(503), retries4xx: true, askedDelayMs: 1_000, nowMs: self.nowMs, jitter: 0) == .failed(reason: .retriesExhausted))
        #expect(self.policy.decide(attemptNumber: 1, outcome: .status(200), retries4xx: true, askedDelayMs: 1_000, nowMs: self.nowMs, jitter: 0) == .succeeded)
        let noRetries = RetryPolicy(schedule: RetrySchedule(delaysMs: []))
        #expect(noRetries.decide(attemptNumber: 1, outcome: .status(503), retries4xx: true, askedDelayMs: 1_000, nowMs: self.nowMs, jitter: 0) == .failed(reason: .retriesExhausted))
    }
}
