import Dispatch
import Foundation
@testable import HooklogJournal
import Testing

/// The journal's threads wait on the monotonic clock, so that a wall clock stepped back does not
/// lengthen the writer's wait for a batch (and every caller's with it).
@Suite("Monotonic condition")
struct MonotonicConditionTests {
    /// A condition on the wall clock would take the deadline (nanoseconds since boot) for an
    /// instant in 1970, long past, and return at once.
    @Test func aTimedWaitLastsUntilItsDeadlineOnTheMonotonicClock() {
        let condition = MonotonicCondition()
        let startedNs = MonotonicCondition.nowNs()
        condition.lock()
        while condition.wait(untilNs: startedNs + 50_000_000) {}
        condition.unlock()
        #expect(MonotonicCondition.nowNs() - startedNs >= 50_000_000)
    }

    @Test func aSignalEndsATimedWaitLongBeforeItsDeadline() {
        let condition = MonotonicCondition()
        let flag = Flag()
        let done = DispatchSemaphore(value: 0)
        let startedNs = MonotonicCondition.nowNs()
        Thread {
            condition.lock()
            while !flag.isSet, condition.wait(untilNs: startedNs + 30_000_000_000) {}
            condition.unlock()
            done.signal()
        }.start()
        Thread.sleep(forTimeInterval: 0.02)
        condition.lock()
        flag.isSet = true
        condition.signal()
        condition.unlock()
        done.wait()
        #expect(MonotonicCondition.nowNs() - startedNs < 10_000_000_000, "woken by the signal, not the deadline")
    }

    private final class Flag: @unchecked Sendable {
        // @unchecked: read and written under the test's condition.
        var isSet = false
    }
}
