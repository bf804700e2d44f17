import ArgumentParser
import HooklogCore

/// An instant given on the command line: RFC 3339 (`2026-05-09T14:00:00Z`, with an offset or
/// fractional seconds as well), read as the API reads it (`TimeFormat.instantMs(rfc3339:)`), or
/// milliseconds since 1970; either way no later than 9999 (which the API could not be sent).
///
/// A number below `smallestMilliseconds` other than 0 is refused: it is almost surely seconds
/// (1700000000 is in January 1970 as milliseconds), and a window reaching back to 1970 would
/// take in the whole log.
struct TimeArgument: ExpressibleByArgument, Sendable {
    /// 1973-03-03 in milliseconds: every later instant has at least 12 digits.
    static let smallestMilliseconds: UInt64 = 100_000_000_000

    /// The instant, in milliseconds since 1970.
    let milliseconds: UInt64

    init?(argument: String) {
        if let milliseconds = UInt64(argument) {
            // Past 9999 no RFC 3339 time can say it, and the API could not be asked for it.
            guard milliseconds == 0 || milliseconds >= Self.smallestMilliseconds, milliseconds <= UInt64(TimeFormat.latestRFC3339Ms) else { return nil }
            self.milliseconds = milliseconds
            return
        }
        guard let milliseconds = TimeFormat.instantMs(rfc3339: argument) else { return nil }
        self.milliseconds = milliseconds
    }
}
