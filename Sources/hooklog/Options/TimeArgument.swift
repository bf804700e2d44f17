import ArgumentParser
import Foundation

/// An instant given on the command line: RFC 3339 (`2026-05-09T14:00:00Z`, with an offset or
/// fractional seconds as well), or milliseconds since 1970.
struct TimeArgument: ExpressibleByArgument, Sendable {
    /// The instant, in milliseconds since 1970.
    let milliseconds: UInt64

    init?(argument: String) {
        if let milliseconds = UInt64(argument) {
            self.milliseconds = milliseconds
            return
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var date = formatter.date(from: argument)
        if date == nil {
            formatter.formatOptions = [.withInternetDateTime]
            date = formatter.date(from: argument)
        }
        guard let date, date.timeIntervalSince1970 >= 0 else { return nil }
        self.milliseconds = UInt64((date.timeIntervalSince1970 * 1000).rounded())
    }
}
