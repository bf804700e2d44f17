import HooklogCore
import Testing

@Suite("Retry-After")
struct RetryAfterTests {
    @Test(arguments: [("120", UInt64(120)), ("0", 0), (" 7\t", 7), ("007", 7)])
    func delaySecondsRead(_ value: String, seconds: UInt64) {
        #expect(RetryAfter(headerValue: value) == .seconds(seconds))
        #expect(RetryAfter(headerValue: value)?.delayMs(fromMs: 5) == seconds * 1_000)
    }

    @Test func aCountTooLargeForSixtyFourBitsIsAsLongAsAnyOtherVeryLongWait() {
        let huge = RetryAfter(headerValue: "99999999999999999999999")
        #expect(huge == .seconds(UInt64.max))
        #expect(huge?.delayMs(fromMs: 0) == UInt64.max)
    }

    @Test func anIMFFixdateIsAnInstantAndItsDelayCountsFromNow() throws {
        // 2026-10-21T07:28:00Z
        let instantMs: UInt64 = 1_792_567_680_000
        let retryAfter = try #require(RetryAfter(headerValue: "Wed, 21 Oct 2026 07:28:00 GMT"))
        #expect(retryAfter == .date(instantMs: instantMs))
        #expect(retryAfter.delayMs(fromMs: instantMs - 90_000) == 90_000)
        #expect(retryAfter.delayMs(fromMs: instantMs + 1) == 0, "a date already past asks for no wait")
        #expect(RetryAfter(headerValue: "Sun, 06 Nov 1994 08:49:37 GMT") == .date(instantMs: 784_111_777_000))
        #expect(RetryAfter(headerValue: "Thu, 29 Feb 2024 00:00:00 GMT") == .date(instantMs: 1_709_164_800_000))
    }

    /// The two obsolete forms a recipient must read too (RFC 9110 §5.6.7).
    @Test func theObsoleteDateFormsNameTheSameInstant() {
        let instant = RetryAfter.date(instantMs: 784_111_777_000)
        #expect(RetryAfter(headerValue: "Sunday, 06-Nov-94 08:49:37 GMT") == instant)
        #expect(RetryAfter(headerValue: "Sun Nov  6 08:49:37 1994") == instant)
        #expect(RetryAfter(headerValue: "Sun Nov 16 08:49:37 1994") == .date(instantMs: 784_111_777_000 + 10 * 86_400_000))
        #expect(RetryAfter(headerValue: "Sunday, 29-Nov-26 10:05:03 GMT") == .date(instantMs: 1_795_946_703_000), "a two-digit year below 70 is of the 2000s")
    }

    @Test(arguments: [
        "", " ", "-1", "1.5", "+3", "12 s", "0x10",
        "Sunday, 06-Nov-94 08:49:37 UTC",
        "Sun, 06-Nov-94 08:49:37 GMT",
        "Sun Nov 6 08:49:37 1994",
        "Sun Nov  6 08:49:37 94",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Xyz, 06 Nov 1994 08:49:37 GMT",
        "Sun, 31 Nov 1994 08:49:37 GMT",
        "Sun, 29 Feb 2023 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 08:60:00 GMT",
        "Sun, 06 Nov 1994 08:49:60 GMT",
        "Sun, 6 Nov 1994 08:49:37 GMT",
        "Sun, 06 nov 1994 08:49:37 GMT",
        "Sun,  06 Nov 1994 08:49:37 GMT",
        "Thu, 01 Jan 1900 00:00:00 GMT",
    ])
    func anythingElseIsIgnored(_ value: String) {
        #expect(RetryAfter(headerValue: value) == nil)
    }
}
