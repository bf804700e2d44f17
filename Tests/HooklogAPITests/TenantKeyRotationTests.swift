import Foundation
import HooklogCore
import HooklogJournal
import HooklogTestSupport
import NIOHTTP1
import Testing

@Suite("Tenant API key rotation")
struct TenantKeyRotationTests {
    /// A leaked key is replaced by the admin: refused from the answer on, while the tenant, its
    /// endpoints and its events stay; after a restart whose projections are rebuilt from the log too.
    @Test(.timeLimit(.minutes(2)))
    func testARotatedKeyIsRefusedAndTheNewOneSeesTheSameTenant() async throws {
        let folder = NSTemporaryDirectory() + "hooklog-key-rotation-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let hooklog = try await APIHarness.start(folder: folder)
        let created = try await hooklog.request(.POST, "/v1/tenants", key: APIHarness.adminKey, body: #"{"name":"Callina"}"#)
        let tenantId = try #require(created.json["id"] as? String)
        let oldKey = try #require(created.json["api_key"] as? String)
        let endpoint = try await hooklog.createEndpoint(key: oldKey, path: "/hook")
        let other = try await hooklog.createTenant("Callaro")

        #expect(try await hooklog.request(.POST, "/v1/tenants/\(tenantId)/rotate_api_key", key: oldKey).status == 403, "a tenant cannot rotate keys")
        #expect(try await hooklog.request(.POST, "/v1/tenants/\(tenantId)/rotate_api_key", key: other).status == 403)
        let unknown = "ten_" + String(repeating: "0", count: 26)
        #expect(try await hooklog.request(.POST, "/v1/tenants/\(unknown)/rotate_api_key", key: APIHarness.adminKey).status == 404)

        let rotation = try await hooklog.request(.POST, "/v1/tenants/\(tenantId)/rotate_api_key", key: APIHarness.adminKey)
        #expect(rotation.status == 200, "\(rotation.json)")
        #expect(rotation.json["id"] as? String == tenantId && rotation.json["rotated_at"] is String)
        let newKey = try #require(rotation.json["api_key"] as? String)
        #expect(newKey.hasPrefix("hk_") && newKey != oldKey)
        let refused = try await hooklog.request(.GET, "/v1/endpoints", key: oldKey)
        #expect(refused.status == 401 && refused.errorCode == "unauthorized", "\(refused.json)")
        let listed = try await hooklog.request(.GET, "/v1/endpoints", key: newKey)
        #expect(listed.status == 200 && listed.items.compactMap { $0["id"] as? String } == [endpoint.id])
        #expect(try await hooklog.postEvent(key: newKey).status == 202)
        #expect(try await hooklog.request(.GET, "/v1/endpoints", key: other).status == 200, "the other tenant's key is untouched")
        // The rotation is in the tenant's receipt log, its key's hash redacted.
        let exported = try await hooklog.request(.GET, "/v1/export?format=jsonl", key: newKey)
        let lines = exported.text.split(separator: "\n")
        let rotationLine = try #require(lines.first { $0.contains("\"tenant_api_key_rotated\"") })
        #expect(rotationLine.contains(tenantId) && !rotationLine.contains(newKey))
        #expect(!lines.contains { $0.contains("\"tenant_api_key_rotated\"") && !$0.contains(tenantId) })
        await hooklog.stop(removingData: false)

        let environment = try LMDBEnvironment(.init(path: folder), databaseNames: HooklogStore.databaseNames)
        try ProjectionRebuilder(source: LogReader(environment: environment), target: environment).rebuild()
        let restarted = try await APIHarness.start(folder: folder)
        #expect(try await restarted.request(.GET, "/v1/endpoints", key: oldKey).status == 401)
        #expect(try await restarted.request(.GET, "/v1/events", key: newKey).items.count == 1)
        await restarted.stop(removingData: false)
    }
}
