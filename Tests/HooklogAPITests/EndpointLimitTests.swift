import Foundation
import HooklogTestSupport
import NIOHTTP1
import Testing

@Suite("Endpoints per tenant")
struct EndpointLimitTests {
    /// Every event fans out to each endpoint in one write, so a tenant's endpoints are bounded:
    /// past the limit a creation is refused with 409 and journals nothing; a delete makes room.
    @Test(.timeLimit(.minutes(1)))
    func aTenantAtItsEndpointLimitIsRefusedUntilItDeletesOne() async throws {
        let hooklog = try await APIHarness.start(maxEndpointsPerTenant: 2)
        let key = try await hooklog.createTenant()
        let other = try await hooklog.createTenant("Other GmbH")
        let first = try await hooklog.createEndpoint(key: key, path: "/one")
        _ = try await hooklog.createEndpoint(key: key, path: "/two")
        let logBefore = try await hooklog.request(.GET, "/v1/export", key: APIHarness.adminKey)
        let refused = try await hooklog.request(.POST, "/v1/endpoints", key: key, body: #"{"url":"\#(hooklog.receiver.baseURL)/three"}"#)
        #expect(refused.status == 409)
        #expect(refused.errorCode == "limit_reached")
        #expect((refused.json["error"] as? [String: Any])?["message"] as? String == "a tenant may have 2 endpoints; delete one first")
        let logAfter = try await hooklog.request(.GET, "/v1/export", key: APIHarness.adminKey)
        #expect(logAfter.body == logBefore.body, "the refused creation journaled nothing")
        _ = try await hooklog.createEndpoint(key: other, path: "/theirs")  // another tenant's count is its own
        #expect(try await hooklog.request(.DELETE, "/v1/endpoints/\(first.id)", key: key).status == 204)
        _ = try await hooklog.createEndpoint(key: key, path: "/three")
        await hooklog.stop()
    }

    /// An endpoint's row is read for every event its tenant posts, so it is bounded too: each
    /// subscribed type is kept once, and metadata past 16 KiB is refused.
    @Test(.timeLimit(.minutes(1)))
    func anEndpointKeepsEachTypeOnceAndItsMetadataIsBounded() async throws {
        try await withAPIHarness { hooklog in
            let key = try await hooklog.createTenant()
            let url = hooklog.receiver.baseURL + "/hook"
            func metadata(_ bytes: Int) -> String { #"{"k":"\#(String(repeating: "a", count: bytes - 8))"}"# }
            let created = try await hooklog.request(
                .POST, "/v1/endpoints", key: key,
                body: #"{"url":"\#(url)","enabled_events":["call.started","call.started","*","call.started"],"metadata":\#(metadata(16_384))}"#
            )
            #expect(created.status == 201)
            #expect(created.json["enabled_events"] as? [String] == ["call.started", "*"])
            let id = try #require(created.json["id"] as? String)
            let patched = try await hooklog.request(.PATCH, "/v1/endpoints/\(id)", key: key, body: #"{"enabled_events":["call.completed","call.completed"]}"#)
            #expect(patched.json["enabled_events"] as? [String] == ["call.completed"])

            let tooLarge = try await hooklog.request(.POST, "/v1/endpoints", key: key, body: #"{"url":"\#(url)","metadata":\#(metadata(16_385))}"#)
            #expect(tooLarge.status == 422 && tooLarge.errorCode == "invalid_field")
            let patchedTooLarge = try await hooklog.request(.PATCH, "/v1/endpoints/\(id)", key: key, body: #"{"metadata":\#(metadata(16_385))}"#)
            #expect(patchedTooLarge.status == 422 && patchedTooLarge.errorCode == "invalid_field")
            #expect(try await hooklog.request(.GET, "/v1/endpoints", key: key).items.count == 1)
        }
    }
}
