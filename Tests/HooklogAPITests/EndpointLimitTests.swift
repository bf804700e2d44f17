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
}
