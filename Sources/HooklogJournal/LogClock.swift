import HooklogCore

/// The service's clock: the wall clock, but never behind the log.
///
/// Log times never go back: each batch is stamped `max(wall clock, last stamp)`. After the wall
/// clock is set back (NTP correcting a clock that ran a day fast, say), the log's times stay
/// ahead of it, and so do the due times of new deliveries, which are planned at the batch's time:
/// read against the wall clock, they would wait until it caught up. This clock starts no earlier
/// than the log's last time and runs on at the monotonic clock's rate, or at the wall clock's
/// whenever that is ahead; the scheduler, the dispatcher and the API read time from it.
public final class LogClock: Sendable {
    private let wallClock: @Sendable () -> UInt64
    private let startMs: UInt64
    private let startedAt: ContinuousClock.Instant

    /// A clock reading `wallClock`, never behind `notBeforeMs` (the log's last time).
    public init(wallClock: @escaping @Sendable () -> UInt64, notBeforeMs: UInt64) {
        self.wallClock = wallClock
        self.startMs = max(wallClock(), notBeforeMs)
        self.startedAt = .now
    }

    /// Milliseconds since 1970.
    public func nowMs() -> UInt64 {
        let elapsedMs = UInt64(self.startedAt.duration(to: .now).inMilliseconds)
        return max(self.wallClock(), self.startMs + elapsedMs)
    }
}
