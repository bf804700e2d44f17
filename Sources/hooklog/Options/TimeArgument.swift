import ArgumentParser
import HooklogCore

/// An instant given on the command line: RFC 3339 (`2026-05-09T14:00:00Z`, with an offset or
/// fractional seconds as well), read as the API reads it (`TimeFormat.instantMs(rfc3339:)`), or
/// milliseconds since 1970, as 13 digits (or 0).
///
/// Other numbers are refused: fewer digits are almost surely seconds (1700000000 is in January
/// 1970 as milliseconds), and 12 or 14 are the compact forms of a date (`202605091400`,
/// `20260509140000`), which as milliseconds land in 1976 or in 2612. A window reaching back to
/// 1970, or on to centuries ahead, would take in the whole log.
struct TimeArgument: ExpressibleByArgument, Sendable {
    /// The instants given as a number: 13 digits, from 2001-09-09 to 2286-11-20.
    static let numberRangeMs: ClosedRange<UInt64> = 1_000_000_000_000...9_999_999_999_999

    /// The instant, in milliseconds since 1970.
    let milliseconds: UInt64

    init?(argument: String) {
        if let milliseconds = UInt64(argument) {
            guard milliseconds == 0 || Self.numberRangeMs.contains(milliseconds) else { return nil }
            self.milliseconds = milliseconds
            return
        }
        guard let milliseconds = TimeFormat.instantMs(rfc3339: argument) else { return nil }
        self.milliseconds = milliseconds
    }
}
