import Foundation
import HooklogTestSupport
import NIOHTTP1
import Testing

@Suite("Endpoint URLs must be public https (SSRF)")
struct DestinationTests {
    static let refused = [
        "https://127.0.0.1/hook",
        "https://10.0.0.1/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://localhost/hook",
        "https://[::1]/hook",
        "http://example.com/hook",
    ]

    @Test(.timeLimit(.minutes(1)))
    func testPrivateLoopbackMetadataAndPlainHTTPAreRefused() async throws {
        try await withAPIHarness(allowsPrivateURLs: false) { hooklog in
            let key = try await hooklog.createTenant()
            for url in Self.refused {
                let created = try await hooklog.request(.POST, "/v1/endpoints", key: key, body: #"{"url":"\#(url)"}"#)
                #expect(created.status == 422, "\(url)")
                #expect(created.errorCode == "invalid_url", "\(url)")
                let inline = try await hooklog.postEvent(key: key, extra: #","webhook_url":"\#(url)""#)
                #expect(inline.status == 422, "\(url)")
                #expect(inline.errorCode == "invalid_url", "\(url)")
            }
            #expect(try await hooklog.request(.GET, "/v1/endpoints", key: key).items.isEmpty)
            #expect(try await hooklog.request(.GET, "/v1/events", key: key).items.isEmpty)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func testAPatchToAPrivateURLIsRefused() async throws {
        try await withAPIHarness(allowsPrivateURLs: false) { hooklog in
            let key = try await hooklog.createTenant()
            // 93.184.215.14 is a public literal: accepted without any lookup or traffic.
            let created = try await hooklog.request(.POST, "/v1/endpoints", key: key, body: #"{"url":"https://93.184.215.14/hook"}"#)
            #expect(created.status == 201)
            let id = try #require(created.json["id"] as? String)
            let patched = try await hooklog.request(.PATCH, "/v1/endpoints/\(id)", key: key, body: #"{"url":"https://127.0.0.1/hook"}"#)
            #expect(patched.status == 422)
            #expect(try await hooklog.request(.GET, "/v1/endpoints/\(id)", key: key).json["url"] as? String == "https://93.184.215.14/hook")
        }
    }

    /// An event is never lost to a name that does not resolve at ingest (a moment's DNS failure
    /// would make it a 422 the platform cannot send again): it is taken, and its attempts fail.
    /// A name that resolves somewhere private is refused (`localhost`, in the list above); a
    /// refusal never tells the address a name resolves to.
    @Test(.timeLimit(.minutes(1)))
    func testAnInlineURLIsCheckedWhenSentNotWhenTakenAndRefusalsHideResolvedAddresses() async throws {
        try await withAPIHarness(allowsPrivateURLs: false) { hooklog in
            let key = try await hooklog.createTenant()
            let posted = try await hooklog.postEvent(key: key, extra: #","webhook_url":"https://hooklog-test.invalid/hook""#)
            #expect(posted.status == 202)
            let deliveries = try #require(posted.json["deliveries"] as? [[String: Any]])
            let deliveryId = try #require(deliveries.first?["id"] as? String)
            let tried = try await hooklog.waitFor("/v1/deliveries/\(deliveryId)", key: key) { answer in
                !((answer.json["attempts"] as? [[String: Any]]) ?? []).filter { $0["finished_at"] is String }.isEmpty
            }
            let attempt = try #require((tried.json["attempts"] as? [[String: Any]])?.first)
            #expect(attempt["status_code"] == nil || attempt["status_code"] is NSNull)
            #expect(attempt["error"] is String, "the name did not resolve when sent")

            let refused = try await hooklog.request(.POST, "/v1/endpoints", key: key, body: #"{"url":"https://localhost/hook"}"#)
            #expect(refused.status == 422)
            let message = String(decoding: refused.body, as: UTF8.self)
            #expect(message.contains("loopback") && !message.contains("127.0.0.1") && !message.contains("::1"), "\(message)")
        }
    }
}
