import HooklogCore
import Testing

@Suite("Durations and HOOKLOG_RETRY_SCHEDULE")
struct DurationParserTests {
    @Test(
        arguments: [("500ms", 500), ("10s", 10_000), ("5m", 300_000), ("2h", 7_200_000), ("1d", 86_400_000), ("0s", 0), (" 7s ", 7_000)]
            as [(String, Int64)])
    func aDurationIsANumberAndAUnit(text: String, expectedMs: Int64) throws {
        #expect(try DurationParser.milliseconds(text) == expectedMs)
    }

    @Test func theTestScheduleFormatReadsInOrder() throws {
        #expect(try RetrySchedule(parsing: "50ms,100ms,200ms").delaysMs == [50, 100, 200])
        #expect(try RetrySchedule(parsing: "5s, 5m, 2h").delaysMs == [5_000, 300_000, 7_200_000])
    }

    @Test func theDesignsScheduleWrittenOutEqualsTheDefault() throws {
        #expect(try RetrySchedule(parsing: "5s,5m,30m,2h,5h,10h,10h") == .standard)
        #expect(RetrySchedule.standard.maximumAttempts == 8)
    }

    @Test(arguments: [
        ("", DurationParseError.empty),
        ("   ", .empty),
        ("10", .missingUnit("10")),
        ("10x", .unknownUnit("10x")),
        ("10 s", .unknownUnit("10 s")),
        ("-1s", .invalidNumber("-1s")),
        ("1.5s", .invalidNumber("1.5s")),
        ("s", .invalidNumber("s")),
        ("99999999999999999999ms", .tooLarge("99999999999999999999ms")),
        ("9999999999999999d", .tooLarge("9999999999999999d")),
    ])
    func aBadDurationSaysWhatIsWrong(text: String, expected: DurationParseError) {
        #expect(throws: expected) { try DurationParser.milliseconds(text) }
    }

    @Test func aScheduleWithAnEmptyEntrySaysWhichOne() {
        #expect(throws: DurationParseError.emptyScheduleEntry(position: 2)) { try RetrySchedule(parsing: "5s,,10s") }
        #expect(throws: DurationParseError.emptyScheduleEntry(position: 3)) { try RetrySchedule(parsing: "5s,10s,") }
    }

    @Test func aScheduleWithABadEntryNamesTheEntry() {
        #expect(throws: DurationParseError.unknownUnit("10y")) { try RetrySchedule(parsing: "5s,10y") }
    }

    /// A retry must come within 25 hours of the attempt before it, jitter and the attempt included.
    @Test func aScheduleRefusesADelayLongerThanTwentyHours() throws {
        #expect(try RetrySchedule(parsing: "5m,20h").delaysMs == [300_000, 72_000_000])
        #expect(throws: DurationParseError.retryDelayTooLong(position: 2)) { try RetrySchedule(parsing: "5m,1d") }
    }

    @Test func errorMessagesShowTheInputAndAnExample() {
        let message = DurationParseError.unknownUnit("10x").description
        #expect(message.contains("\"10x\""))
        #expect(message.contains("500ms"))
    }
}
