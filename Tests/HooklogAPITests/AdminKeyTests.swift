import HooklogTestSupport
import Testing

/// The admin key opens every tenant's data: a short one is told at start.
@Suite("The admin key")
struct AdminKeyTests {
    private static let warning = "the admin key is short"

    @Test func aShortAdminKeyIsWarnedAboutAtStartAndALongOneIsNot() async throws {
        let messages = RecordingLogHandler.Messages()
        let short = try await APIHarness.start(adminKey: "secret", logger: RecordingLogHandler.logger(into: messages))
        await short.stop()
        #expect(messages.count(containing: Self.warning) == 1)
        let long = try await APIHarness.start(adminKey: String(repeating: "7f", count: 32), logger: RecordingLogHandler.logger(into: messages))
        await long.stop()
        #expect(messages.count(containing: Self.warning) == 1, "no warning for a 64-character key")
    }
}
