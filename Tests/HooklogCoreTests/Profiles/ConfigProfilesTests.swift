import Foundation
import HooklogCore
import Testing

@Suite("Config/profiles and Config/event-types.json")
struct ConfigProfilesTests {
    @Test func everyProfileOfTheDesignHasAFile() throws {
        #expect(try ProfileFixtures.profileNames() == ["callaro", "calleague", "callina", "callina-midcall", "callina-midcall-event", "callingbox", "standard"])
    }

    @Test(arguments: try ProfileFixtures.profileNames())
    func everyProfileFileDecodesAndRendersASampleEvent(name: String) throws {
        let profile = try ProfileFixtures.profile(name)
        #expect(profile.name == name)
        let request = try profile.render(
            ProfileFixtures.sampleEvent,
            secrets: SigningSecrets(current: ProfileFixtures.secret(for: profile.signatureScheme)),
            bearerToken: ProfileFixtures.bearerToken,
            sentAtMs: 1_778_337_180 * 1_000
        )
        #expect(request.header("Content-Type") == "application/json")
        let parsed = try JSONSerialization.jsonObject(with: Data(request.body))
        #expect(parsed is [String: Any])
    }

    @Test func theDefaultProfileIsStandardWebhooks() throws {
        #expect(try ProfileFixtures.profile(WireProfile.defaultName).signatureScheme == .standardWebhooks)
    }

    @Test func onlyTheMidcallProfilesLeave4xxUnretried() throws {
        for name in try ProfileFixtures.profileNames() {
            #expect(try ProfileFixtures.profile(name).retries4xx == !name.hasPrefix("callina-midcall"), "\(name)")
        }
    }

    @Test func theEventTypeCatalogListsTheSeedsEventsOnceEach() throws {
        let bytes = try Data(contentsOf: ProfileFixtures.configDirectory.appendingPathComponent("event-types.json"))
        let catalog = try EventTypeCatalog.decode(from: Array(bytes))
        let seedTypes = [
            "call.started", "call.completed", "transcript.ready", "tool.invoked", "outbound.scheduled",
            "outbound.failed", "campaign.completed", "call.connected", "call.failed", "recording.ready",
            "intent.detected", "escalation.requested", "silence.detected", EndpointHealthPolicy.disabledEventType,
        ]
        for type in seedTypes {
            #expect(catalog.contains(type), "\(type)")
        }
        #expect(catalog.entries.allSatisfy { !$0.description.isEmpty })
    }

    @Test func aCatalogThatRepeatsATypeIsRejected() {
        let bytes = Array(#"[{"type":"a.b","description":"x"},{"type":"a.b","description":"y"}]"#.utf8)
        #expect(throws: ProfileError.self) { try EventTypeCatalog.decode(from: bytes) }
    }

    /// Every type a platform may post can be named in a replay's filter, which takes at most
    /// `maxTypeBytes` per type.
    @Test func aCatalogTypeLongerThanAReplayFilterTakesIsRejected() throws {
        let longest = String(repeating: "a", count: EventTypeCatalog.maxTypeBytes)
        _ = try EventTypeCatalog.decode(from: Array(#"[{"type":"\#(longest)","description":"x"}]"#.utf8))
        let tooLong = Array(#"[{"type":"\#(longest)b","description":"x"}]"#.utf8)
        #expect(throws: ProfileError.self) { try EventTypeCatalog.decode(from: tooLong) }
    }
}
