import HooklogCore
import Testing

/// The one RFC 3339 reader, which the API and the command line share.
@Suite("Reading RFC 3339 times")
struct TimeFormatReadingTests {
    @Test(arguments: [
        ("2026-05-09T14:32:55Z", UInt64(1_778_337_175_000)),
        ("2026-05-09t14:32:55z", 1_778_337_175_000),
        ("2026-05-09 14:32:55Z", 1_778_337_175_000),
        ("2026-05-09T16:32:55.120+02:00", 1_778_337_175_120),
        ("2026-05-09T14:32:55.1Z", 1_778_337_175_100),
        ("2026-05-09T14:32:55.9999Z", 1_778_337_175_999),
        ("1970-01-01T00:00:00Z", 0),
        ("2024-02-29T00:00:00-00:30", 1_709_166_600_000),
    ])
    func readsEachSpelling(text: String, instantMs: UInt64) {
        #expect(TimeFormat.instantMs(rfc3339: text) == instantMs, "\(text)")
    }

    @Test(arguments: [
        "2026-05-09T14:32:55", "2026-05-09T14:32Z", "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z",
        "2026-05-09T24:00:00Z", "2026-05-09T14:32:55.Z", "2026-05-09T14:32:55+0200", "1969-12-31T23:59:59Z", "9999-12-31T23:30:00-01:00", "soon",
    ])
    func refusesWhatIsNotOne(text: String) {
        #expect(TimeFormat.instantMs(rfc3339: text) == nil, "\(text)")
    }

    @Test func writingAndReadingAgree() {
        for instantMs: UInt64 in [0, 1_778_337_175_120, UInt64(TimeFormat.latestRFC3339Ms)] {
            let text = TimeFormat.rfc3339(instantMs: Int64(instantMs), millis: true)
            #expect(text.flatMap(TimeFormat.instantMs(rfc3339:)) == instantMs, "\(text ?? "nil")")
        }
    }
}
