/// A receiver's `Retry-After` (RFC 9110 §10.2.3) on a 429 or a 503: how long it asks to be left
/// alone. The retry that follows waits at least that long, within the schedule's longest delay
/// (`RetryPolicy.decide`).
public enum RetryAfter: Sendable, Equatable {
    /// `Retry-After: 120`.
    case seconds(UInt64)
    /// `Retry-After: Wed, 21 Oct 2026 07:28:00 GMT`, in milliseconds since 1970.
    case date(instantMs: UInt64)

    private static let dayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    private static let longDayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    private static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The value of a `Retry-After` header: delay-seconds, or an HTTP date in any of the three
    /// forms a recipient must read (RFC 9110 §5.6.7: IMF-fixdate, RFC 850's, asctime's). `nil`
    /// for anything else: a value that cannot be read is ignored, and the schedule alone decides.
    public init?(headerValue: String) {
        var bytes = Array(headerValue.utf8)[...]
        while let first = bytes.first, Self.isSpace(first) { bytes.removeFirst() }
        while let last = bytes.last, Self.isSpace(last) { bytes.removeLast() }
        if let seconds = Self.seconds(bytes) {
            self = .seconds(seconds)
        } else if let instantMs = Self.imfFixdateMs(bytes) ?? Self.rfc850DateMs(bytes) ?? Self.asctimeDateMs(bytes) {
            self = .date(instantMs: instantMs)
        } else {
            return nil
        }
    }

    /// The wait it asks for, counted from `nowMs`: none for a date already past.
    public func delayMs(fromMs nowMs: UInt64) -> UInt64 {
        switch self {
        case .seconds(let seconds):
            let (delayMs, overflow) = seconds.multipliedReportingOverflow(by: 1_000)
            return overflow ? UInt64.max : delayMs
        case .date(let instantMs):
            return instantMs > nowMs ? instantMs - nowMs : 0
        }
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }

    /// `1*DIGIT`; a count too large for 64 bits is as long as any other very long wait.
    private static func seconds(_ bytes: ArraySlice<UInt8>) -> UInt64? {
        guard !bytes.isEmpty, bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        var value: UInt64 = 0
        for byte in bytes {
            let (times10, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowAgain) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflow, !overflowAgain else { return UInt64.max }
            value = sum
        }
        return value
    }

    /// `Sun, 06 Nov 1994 08:49:37 GMT`, in milliseconds since 1970; `nil` for an earlier instant.
    private static func imfFixdateMs(_ bytes: ArraySlice<UInt8>) -> UInt64? {
        guard bytes.count == 29 else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0].hasSuffix(","), Self.dayNames.contains(String(parts[0].dropLast())), parts[5] == "GMT",
            let day = Self.number(parts[1], width: 2),
            let monthIndex = Self.monthNames.firstIndex(of: String(parts[2])),
            let year = Self.number(parts[3], width: 4)
        else { return nil }
        return Self.instantMs(year: year, monthIndex: monthIndex, day: day, clock: parts[4])
    }

    /// `Sunday, 06-Nov-94 08:49:37 GMT`; a two-digit year from 70 is of the 1900s, below it of the 2000s.
    private static func rfc850DateMs(_ bytes: ArraySlice<UInt8>) -> UInt64? {
        let parts = String(decoding: bytes, as: UTF8.self).split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0].hasSuffix(","), Self.longDayNames.contains(String(parts[0].dropLast())), parts[3] == "GMT" else { return nil }
        let date = parts[1].split(separator: "-", omittingEmptySubsequences: false)
        guard date.count == 3, let day = Self.number(date[0], width: 2), let monthIndex = Self.monthNames.firstIndex(of: String(date[1])),
            let shortYear = Self.number(date[2], width: 2)
        else { return nil }
        return Self.instantMs(year: shortYear + (shortYear >= 70 ? 1900 : 2000), monthIndex: monthIndex, day: day, clock: parts[2])
    }

    /// `Sun Nov  6 08:49:37 1994` (a day below 10 padded with a space).
    private static func asctimeDateMs(_ bytes: ArraySlice<UInt8>) -> UInt64? {
        guard bytes.count == 24 else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 5, Self.dayNames.contains(String(parts[0])), let monthIndex = Self.monthNames.firstIndex(of: String(parts[1])),
            let day = Self.number(parts[2], width: parts[2].utf8.count), (1...2).contains(parts[2].utf8.count),
            let year = Self.number(parts[4], width: 4)
        else { return nil }
        return Self.instantMs(year: year, monthIndex: monthIndex, day: day, clock: parts[3])
    }

    /// The instant of a date and an `HH:MM:SS` in GMT; `nil` when it names none, or one before 1970.
    private static func instantMs(year: Int64, monthIndex: Int, day: Int64, clock: Substring) -> UInt64? {
        let fields = clock.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 3, let hour = Self.number(fields[0], width: 2), let minute = Self.number(fields[1], width: 2),
            let second = Self.number(fields[2], width: 2)
        else { return nil }
        let month = Int64(monthIndex + 1)
        guard (1...TimeFormat.dayCount(month: month, year: year)).contains(day), hour < 24, minute < 60, second < 60 else { return nil }
        let seconds = TimeFormat.daysSinceEpoch(year: year, month: month, day: day) * 86_400 + hour * 3_600 + minute * 60 + second
        return seconds >= 0 ? UInt64(seconds) * 1_000 : nil
    }

    private static func number(_ text: Substring, width: Int) -> Int64? {
        guard text.utf8.count == width, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return Int64(text)
    }
}
