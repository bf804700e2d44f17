#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A lock and a condition whose timed waits run on the monotonic clock.
///
/// `NSCondition` takes its deadline as a wall-clock `Date`: a clock stepped back (NTP, an
/// operator) lengthens a wait by as much, and the journal's writer, waiting a few hundred
/// microseconds for a batch to fill, would hold every caller for that long.
final class MonotonicCondition: @unchecked Sendable {
    // @unchecked: the mutex is the synchronisation; both live at stable heap addresses.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>

    init() {
        self.mutex = .allocate(capacity: 1)
        self.condition = .allocate(capacity: 1)
        precondition(pthread_mutex_init(self.mutex, nil) == 0, "pthread_mutex_init failed")
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        #if os(Linux)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        #endif
        let status = pthread_cond_init(self.condition, &attributes)
        pthread_condattr_destroy(&attributes)
        precondition(status == 0, "pthread_cond_init failed: \(status)")
    }

    deinit {
        pthread_cond_destroy(self.condition)
        pthread_mutex_destroy(self.mutex)
        self.condition.deallocate()
        self.mutex.deallocate()
    }

    /// Now on the clock `wait(untilNs:)` takes, in nanoseconds.
    static func nowNs() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    func lock() {
        pthread_mutex_lock(self.mutex)
    }

    func unlock() {
        pthread_mutex_unlock(self.mutex)
    }

    /// Wakes one waiter.
    func signal() {
        pthread_cond_signal(self.condition)
    }

    /// Waits, holding the lock, until signalled (or woken spuriously: callers wait in a loop).
    func wait() {
        pthread_cond_wait(self.condition, self.mutex)
    }

    /// `wait()`, until at most `deadlineNs` (on `nowNs()`'s clock); `false` once the deadline passed.
    func wait(untilNs deadlineNs: UInt64) -> Bool {
        #if os(Linux)
        var deadline = timespec(tv_sec: Int(deadlineNs / 1_000_000_000), tv_nsec: Int(deadlineNs % 1_000_000_000))
        return pthread_cond_timedwait(self.condition, self.mutex, &deadline) != ETIMEDOUT
        #else
        // Darwin's conditions take no clock; a wait relative to now is measured monotonically.
        let nowNs = Self.nowNs()
        guard deadlineNs > nowNs else { return false }
        var remaining = timespec(tv_sec: Int((deadlineNs - nowNs) / 1_000_000_000), tv_nsec: Int((deadlineNs - nowNs) % 1_000_000_000))
        return pthread_cond_timedwait_relative_np(self.condition, self.mutex, &remaining) != ETIMEDOUT
        #endif
    }
}
