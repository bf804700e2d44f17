import Foundation
import HooklogTestSupport
import NIOHTTP1
import Testing

@Suite("A tenant sees only its own objects")
struct TenantIsolationTests {
    @Test(.timeLimit(.minutes(1)))
    func testAnotherTenantsObjectsAreNotFound() async throws {
        try await withAPIHarness { hooklog in
            let owner = try await hooklog.createTenant("Owner")
            let other = try await hooklog.createTenant("Other")
            let endpoint = try await hooklog.createEndpoint(key: owner, path: "/owner")
            let posted = try await hooklog.postEvent(key: owner)
            let eventId = try #require(posted.json["id"] as? String)
            let deliveryId = try #require((posted.json["deliveries"] as? [[String: Any]])?.first?["id"] as? String)

            let reads: [(HTTPMethodName, String, String?)] = [
                (.GET, "/v1/endpoints/\(endpoint.id)", nil),
                (.PATCH, "/v1/endpoints/\(endpoint.id)", #"{"description":"mine now"}"#),
                (.POST, "/v1/endpoints/\(endpoint.id)/rotate_secret", nil),
                (.DELETE, "/v1/endpoints/\(endpoint.id)", nil),
                (.GET, "/v1/events/\(eventId)", nil),
                (.GET, "/v1/deliveries/\(deliveryId)", nil),
                (.POST, "/v1/deliveries/\(deliveryId)/retry", nil),
            ]
            for (method, path, body) in reads {
                let answer = try await hooklog.request(.init(rawValue: method.rawValue), path, key: other, body: body)
                #expect(answer.status == 404, "\(method.rawValue) \(path)")
                #expect(answer.errorCode == "not_found")
            }
            #expect(try await hooklog.request(.GET, "/v1/endpoints", key: other).items.isEmpty)
            #expect(try await hooklog.request(.GET, "/v1/events", key: other).items.isEmpty)
            #expect(try await hooklog.request(.GET, "/v1/deliveries", key: other).items.isEmpty)
            // Filtering by another tenant's endpoint answers as a never-seen id does: whether it
            // exists is not told.
            let unknownId = "ep_01jv0000000000000000000000"
            for _ in 0..<2 { _ = try await hooklog.postEvent(key: other) }
            let otherCursor = try #require(try await hooklog.request(.GET, "/v1/events?limit=1", key: other).json["next_cursor"] as? String?)
            for extra in ["", "&status=bogus", "&cursor=\(otherCursor ?? "")", "&limit=0"] {
                let filtered = try await hooklog.request(.GET, "/v1/deliveries?endpoint_id=\(endpoint.id)\(extra)", key: other)
                let unknown = try await hooklog.request(.GET, "/v1/deliveries?endpoint_id=\(unknownId)\(extra)", key: other)
                #expect(filtered.status == unknown.status && filtered.body == unknown.body, "\(extra)")
            }
            #expect(try await hooklog.request(.GET, "/v1/deliveries?endpoint_id=\(endpoint.id)", key: other).items.isEmpty)

            // The owner's objects are untouched.
            let mine = try await hooklog.request(.GET, "/v1/endpoints/\(endpoint.id)", key: owner)
            #expect(mine.status == 200)
            #expect(mine.json["description"] as? String == "")
            #expect(try await hooklog.request(.GET, "/v1/events/\(eventId)", key: owner).status == 200)
            // Deleted, its deliveries still tell whose it was.
            #expect(try await hooklog.request(.DELETE, "/v1/endpoints/\(endpoint.id)", key: owner).status == 204)
            let deleted = try await hooklog.request(.GET, "/v1/deliveries?endpoint_id=\(endpoint.id)", key: other)
            #expect(deleted.status == 200 && deleted.items.isEmpty && deleted.json["next_cursor"] is NSNull)
            #expect(try await hooklog.request(.GET, "/v1/deliveries?endpoint_id=\(endpoint.id)", key: owner).items.count == 1)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func testACursorOfAnotherTenantIsRefused() async throws {
        try await withAPIHarness { hooklog in
            let owner = try await hooklog.createTenant("Owner")
            let other = try await hooklog.createTenant("Other")
            for _ in 0..<3 { _ = try await hooklog.postEvent(key: owner) }
            let page = try await hooklog.request(.GET, "/v1/events?limit=1", key: owner)
            let cursor = try #require(page.json["next_cursor"] as? String)
            let stolen = try await hooklog.request(.GET, "/v1/events?limit=1&cursor=\(cursor)", key: other)
            #expect(stolen.status == 400)
            #expect(stolen.items.isEmpty)
        }
    }
}

/// The methods these tests send.
enum HTTPMethodName: String {
    case GET, POST, PATCH, DELETE
}
