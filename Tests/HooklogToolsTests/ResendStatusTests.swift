import HooklogCore
import HooklogJournal
import Testing

/// `hooklog resend` picks deliveries by status as `POST /v1/replays` does, with the same default:
/// a resend with no `--status` re-sends the failed ones only, never what was delivered, and
/// `--failed` (the design's spelling) asks for the same.
@Suite("hooklog resend --status")
struct ResendStatusTests {
    @Test func aResendSendsTheFailedOnesAgainUnlessAskedForAll() async throws {
        let clock = ManualClock(1_778_000_000_000)
        try await ToolsFixture.withStore(clock: clock) { fixture in
            let tenantId = try await fixture.tenant()
            _ = try await fixture.endpoint(of: tenantId)
            let delivered = try await fixture.post(Array("{}".utf8), tenant: tenantId).deliveries[0].deliveryId
            try await fixture.attempt(delivered, answering: 200)
            let failed = try await fixture.post(Array("{}".utf8), tenant: tenantId).deliveries[0].deliveryId
            try await fixture.attempt(failed, answering: 503, retryDelaysMs: [])
            let window = ["resend", "--since", "1777999999000", "--until", "1778000001000"]

            let bogus = try await fixture.hooklog(window + ["--status", "succeeded"])
            #expect(bogus.status == 64 && bogus.output.contains("--status"), "\(bogus.output)")
            let contradictory = try await fixture.hooklog(window + ["--failed", "--status", "all"])
            #expect(contradictory.status == 64 && contradictory.output.contains("--failed and --status all"), "\(contradictory.output)")

            var head = try LogReader(environment: fixture.store.environment).head()
            let onlyFailed = try await fixture.hooklog(window + ["--failed"])
            #expect(onlyFailed.status == 0 && onlyFailed.output.contains("1 deliveries will be sent again"), "\(onlyFailed.output)")
            #expect(try Self.reopened(in: fixture, after: head.sequence) == [failed])

            // It fails again, and a resend with no --status picks it, alone, once more.
            try await fixture.attempt(failed, answering: 503, retryDelaysMs: [])
            head = try LogReader(environment: fixture.store.environment).head()
            let byDefault = try await fixture.hooklog(window)
            #expect(byDefault.status == 0 && byDefault.output.contains("1 deliveries will be sent again"), "\(byDefault.output)")
            #expect(try Self.reopened(in: fixture, after: head.sequence) == [failed])

            // The failed one now waits again, and is not finished: all finished ones are the other.
            head = try LogReader(environment: fixture.store.environment).head()
            let all = try await fixture.hooklog(window + ["--status", "all"])
            #expect(all.status == 0 && all.output.contains("1 deliveries will be sent again"), "\(all.output)")
            #expect(try Self.reopened(in: fixture, after: head.sequence) == [delivered])
        }
    }

    /// The deliveries a replay reopened in the records after `sequence`.
    private static func reopened(in fixture: ToolsFixture, after sequence: UInt64) throws -> [DeliveryID] {
        try LogReader(environment: fixture.store.environment).entries(from: sequence + 1, limit: 100).compactMap { entry in
            guard case .deliveryRetryScheduled(let retry) = try Record(decoding: entry.payload), retry.replayId != nil else { return nil }
            return retry.deliveryId
        }
    }
}
