/// Reads durations written as a whole number and a unit: `500ms`, `10s`, `5m`, `2h`, `1d`.
public enum DurationParser {
    /// The milliseconds in one of each unit.
    private static let unitsMs: [(unit: String, ms: Int64)] = [
        ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
    ]

    /// The milliseconds that `text` spells; surrounding spaces are ignored.
    public static func milliseconds(_ text: String) throws(DurationParseError) -> Int64 {
        let trimmed = Self.trimmingSpaces(text)
        guard !trimmed.isEmpty else { throw .empty }
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        let unit = String(trimmed.dropFirst(digits.count))
        guard !digits.isEmpty else { throw .invalidNumber(trimmed) }
        guard !unit.isEmpty else { throw .missingUnit(trimmed) }
        guard let unitMs = Self.unitsMs.first(where: { $0.unit == unit })?.ms else {
            if unit.first == "." { throw .invalidNumber(trimmed) }
            throw .unknownUnit(trimmed)
        }
        guard let count = Int64(digits) else { throw .tooLarge(trimmed) }
        let (product, overflow) = count.multipliedReportingOverflow(by: unitMs)
        guard !overflow else { throw .tooLarge(trimmed) }
        return product
    }

    /// The milliseconds of each comma-separated duration in `text` (`"50ms,100ms,200ms"`), in order.
    public static func millisecondsList(_ text: String) throws(DurationParseError) -> [Int64] {
        guard !Self.trimmingSpaces(text).isEmpty else { throw .empty }
        var result: [Int64] = []
        for (index, entry) in text.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
            guard !Self.trimmingSpaces(String(entry)).isEmpty else { throw .emptyScheduleEntry(position: index + 1) }
            result.append(try Self.milliseconds(String(entry)))
        }
        return result
    }

    private static func trimmingSpaces(_ text: String) -> String {
        String(text.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
