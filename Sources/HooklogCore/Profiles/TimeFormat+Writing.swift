extension TimeFormat {
    /// The latest instant RFC 3339 can write with a four-digit year: 9999-12-31T23:59:59.999Z.
    public static let latestRFC3339Ms: Int64 = 253_402_300_799_999

    /// The JSON text of `instantMs` (ms since the epoch) in this format; `nil` for a year outside 0000–9999.
    func json(instantMs: Int64) -> [UInt8]? {
        switch self {
        case .unixSeconds:
            return Array(String(Self.floorDivide(instantMs, 1000)).utf8)
        case .unixMillis:
            return Array(String(instantMs).utf8)
        case .rfc3339, .rfc3339Millis:
            guard let text = Self.rfc3339(instantMs: instantMs, millis: self == .rfc3339Millis) else { return nil }
            return Array("\"\(text)\"".utf8)
        }
    }

    /// `2026-05-09T14:32:55Z` (or with `.sss` when `millis`), UTC; `nil` outside years 0000–9999.
    public static func rfc3339(instantMs: Int64, millis: Bool) -> String? {
        let earliestMs: Int64 = -62_167_219_200_000  // 0000-01-01T00:00:00Z
        guard instantMs >= earliestMs, instantMs <= Self.latestRFC3339Ms else { return nil }
        let days = Self.floorDivide(instantMs, 86_400_000)
        let msOfDay = instantMs - days * 86_400_000
        let (year, month, day) = Self.civilDate(daysSinceEpoch: days)
        let hour = msOfDay / 3_600_000
        let minute = msOfDay / 60_000 % 60
        let second = msOfDay / 1000 % 60
        var text = "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))"
        text += "T\(Self.pad(hour, 2)):\(Self.pad(minute, 2)):\(Self.pad(second, 2))"
        if millis { text += ".\(Self.pad(msOfDay % 1000, 3))" }
        return text + "Z"
    }

    /// Year, month, day of the proleptic Gregorian calendar (Howard Hinnant's `civil_from_days`).
    private static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = daysSinceEpoch + 719_468
        let era = Self.floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
