import Foundation
import HooklogCore
import HooklogJournal
import HooklogTestSupport
import Testing

/// Offline, `hooklog resend` scopes a key as the API does: a tenant's key covers that tenant
/// alone, and a key that is no one's is refused, so that a command that worked through the API
/// does not, the server being down, re-send every tenant's deliveries.
@Suite("hooklog resend offline with an API key")
struct OfflineResendScopeTests {
    @Test func aTenantsKeyCoversThatTenantAloneAndAnyOtherKeyIsRefused() async throws {
        let clock = ManualClock(1_778_000_000_000)
        try await ToolsFixture.withStore(clock: clock) { fixture in
            // A fixture tenant's API key is its name.
            let keyTenantId = try await fixture.tenant("Callina GmbH")
            let otherTenantId = try await fixture.tenant("Calleague AG")
            var deliveryIds: [TenantID: DeliveryID] = [:]
            for tenantId in [keyTenantId, otherTenantId] {
                _ = try await fixture.endpoint(of: tenantId)
                let event = try await fixture.post(Array("{}".utf8), tenant: tenantId)
                deliveryIds[tenantId] = event.deliveries[0].deliveryId
                _ = try await fixture.attempt(event.deliveries[0].deliveryId, answering: 503, retryDelaysMs: [])
            }
            let window = ["resend", "--since", "1777999999000", "--until", "1778000001000"]
            let head = try LogReader(environment: fixture.store.environment).head()

            let unknown = try await fixture.hooklog(window + ["--api-key", "not-a-key"])
            #expect(unknown.status == 1 && unknown.output.contains("is not a tenant's"), "\(unknown.output)")
            let crossed = try await fixture.hooklog(window + ["--api-key", "Callina GmbH", "--tenant", otherTenantId.description])
            #expect(crossed.status == 1 && crossed.output.contains("is not the API key's tenant"), "\(crossed.output)")
            #expect(try LogReader(environment: fixture.store.environment).head() == head, "nothing journaled when refused")

            let scoped = try await fixture.hooklog(window + ["--api-key", "Callina GmbH"])
            #expect(scoped.status == 0, "\(scoped.output)")
            #expect(scoped.output.contains("1 deliveries will be sent again") && scoped.output.contains("only the API key's tenant's"), "\(scoped.output)")
            var replayTenants: [TenantID] = []
            var reopened: [DeliveryID] = []
            for entry in try LogReader(environment: fixture.store.environment).entries(from: head.sequence + 1, limit: 100) {
                switch try Record(decoding: entry.payload) {
                case .replayRequested(let replay): replayTenants.append(replay.tenantId)
                case .deliveryRetryScheduled(let retry) where retry.replayId != nil: reopened.append(retry.deliveryId)
                default: break
                }
            }
            #expect(replayTenants == [keyTenantId])
            #expect(reopened == [try #require(deliveryIds[keyTenantId])])
        }
    }

    /// A mistyped event type is refused offline as the API refuses it, where the catalog can be
    /// read, rather than matching nothing unseen; where it cannot, the run says it went unchecked.
    @Test func aMistypedEventTypeIsRefused() async throws {
        try await ToolsFixture.withStore { fixture in
            let configFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Config").path
            let configFile = fixture.path + "/catalog.yaml"
            try Data("hooklog:\n  configDir: \(configFolder)\n".utf8).write(to: URL(fileURLWithPath: configFile))
            let head = try LogReader(environment: fixture.store.environment).head()
            let window = ["resend", "--since", "1777999999000", "--until", "1778000001000", "--config", configFile]
            let refused = try await fixture.hooklog(window + ["--event-type", "call.complete"])
            #expect(refused.status == 1 && refused.output.contains("--event-type call.complete is not a known event type"), "\(refused.output)")
            #expect(try LogReader(environment: fixture.store.environment).head() == head)
            let known = try await fixture.hooklog(window + ["--event-type", "call.completed"])
            #expect(known.status == 0 && !known.output.contains("not checked"), "\(known.output)")

            try Data("hooklog:\n  configDir: \(fixture.path)/no-config\n".utf8).write(to: URL(fileURLWithPath: configFile))
            let unchecked = try await fixture.hooklog(window + ["--event-type", "call.complete"])
            #expect(unchecked.status == 0 && unchecked.output.contains("note: --event-type is not checked") && !unchecked.output.contains("NSCocoaErrorDomain"), "\(unchecked.output)")
        }
    }
}
