import HooklogCore
import Synchronization

/// The service's clock: never goes back, and never behind the log.
///
/// It follows the wall clock forwards, but when the wall clock is set back (NTP correcting a
/// clock that ran fast) it runs on from its highest reading at half the monotonic clock's rate,
/// so that the wall clock catches up with it: in twice the time it was set back by. (At the full
/// rate it never would, and every receipt time after would stay that far ahead.) Meanwhile the
/// delays judged by it (retries, grace periods) take up to twice as long.
///
/// The journal stamps batches with it, and the scheduler, the dispatcher and the API decide with
/// it, so that what the log planned (new deliveries are due at their batch's time) is never in
/// this clock's future and never waits for the wall clock.
/// Signatures do not use it: receivers compare their timestamps with their own wall clocks.
public final class LogClock: Sendable {
    /// The highest time read, and when (by the monotonic clock).
    private struct Reading {
        var ms: UInt64
        var at: ContinuousClock.Instant

        /// The reading run on to `now` at half the monotonic clock's rate.
        func runOnMs(to now: ContinuousClock.Instant) -> UInt64 {
            self.ms + UInt64(max(0, self.at.duration(to: now).inMilliseconds / 2))
        }
    }

    private let wallClock: @Sendable () -> UInt64
    private let highest: Mutex<Reading>

    /// A clock following `wallClock`.
    public init(wallClock: @escaping @Sendable () -> UInt64) {
        self.wallClock = wallClock
        self.highest = Mutex(Reading(ms: wallClock(), at: .now))
    }

    /// Milliseconds since 1970: the wall clock's, or past the highest reading by half the time
    /// elapsed since, whichever is later.
    public func nowMs() -> UInt64 {
        let wallMs = self.wallClock()
        let now = ContinuousClock.now
        return self.highest.withLock { highest in
            let runOnMs = highest.runOnMs(to: now)
            if wallMs >= runOnMs {
                highest = Reading(ms: wallMs, at: now)
                return wallMs
            }
            return runOnMs
        }
    }

    /// Never reads earlier than `ms` from now on (the log's last time, at open).
    public func advance(toAtLeast ms: UInt64) {
        let now = ContinuousClock.now
        self.highest.withLock { highest in
            if ms > highest.runOnMs(to: now) { highest = Reading(ms: ms, at: now) }
        }
    }
}
