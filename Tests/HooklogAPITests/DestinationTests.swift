import Foundation
import HooklogDelivery
import HooklogTestSupport
import NIOHTTP1
import Synchronization
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
            let message = refused.text
            #expect(message.contains("loopback") && !message.contains("127.0.0.1") && !message.contains("::1"), "\(message)")
        }
    }

    /// DNS that does not answer says nothing of a URL: an endpoint cannot be created with it
    /// for now (503, to be asked again), where a name DNS says has no address is a 422. A name
    /// Hooklog did not look up because all its lookups were taken is the same 503 at the API,
    /// and at delivery is held back, not charged: its attempt ends `interrupted` (no retry
    /// used, no health judged) and it is due again only a lookup's wait later, not at once.
    @Test(.timeLimit(.minutes(1)))
    func testANameDNSDoesNotAnswerIsA503AndAtDeliveryAResolverWithNoFreeLookupHoldsTheDeliveryBack() async throws {
        let hangingLookups = Mutex(0)
        // One lookup at once: a name whose DNS hangs takes it.
        let resolver = HostResolver(maxRunningLookups: 1, lookup: { host in
            if host == "hangs.example" {
                hangingLookups.withLock { $0 += 1 }
                Thread.sleep(forTimeInterval: 8)
            }
            return .failure(.unresolvable(host: host, reason: "Name or service not known"))
        })
        let hooklog = try await APIHarness.start(allowsPrivateURLs: false, hostResolver: resolver)
        do {
            let key = try await hooklog.createTenant()
            let noAddress = try await hooklog.request(.POST, "/v1/endpoints", key: key, body: #"{"url":"https://nxdomain.example/hook"}"#)
            #expect(noAddress.status == 422 && noAddress.errorCode == "invalid_url", "\(noAddress.status) \(noAddress.errorCode ?? "")")

            let hanging = Task { try await hooklog.request(.POST, "/v1/endpoints", key: key, body: #"{"url":"https://hangs.example/hook"}"#) }
            while hangingLookups.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(10)) }
            let notLookedUp = try await hooklog.request(.POST, "/v1/endpoints", key: key, body: #"{"url":"https://busy.example/hook"}"#)
            #expect(notLookedUp.status == 503 && notLookedUp.errorCode == "lookup_unavailable", "\(notLookedUp.status) \(notLookedUp.errorCode ?? "")")
            #expect(notLookedUp.headers["retry-after"] == "1")

            let posted = try await hooklog.postEvent(key: key, extra: #","webhook_url":"https://busy.example/hook""#)
            #expect(posted.status == 202, "an event is never lost to a lookup")
            let deliveryId = try #require((posted.json["deliveries"] as? [[String: Any]])?.first?["id"] as? String)
            let heldBack = try await hooklog.waitFor("/v1/deliveries/\(deliveryId)", key: key) { answer in
                ((answer.json["attempts"] as? [[String: Any]]) ?? []).contains { $0["finished_at"] is String }
            }
            let attempts = try #require(heldBack.json["attempts"] as? [[String: Any]])
            #expect(attempts.count == 1 && attempts[0]["error"] as? String == "interrupted", "\(attempts)")
            #expect(attempts[0]["latency_ms"] is NSNull, "no answer to time: \(attempts)")
            #expect(heldBack.json["status"] as? String == "retrying", "\(heldBack.json)")
            let finishedAt = try #require((attempts[0]["finished_at"] as? String).flatMap(Self.instant))
            let dueAt = try #require((heldBack.json["next_attempt_at"] as? String).flatMap(Self.instant))
            #expect(dueAt.timeIntervalSince(finishedAt) >= 5, "due again a lookup's wait later: \(finishedAt) → \(dueAt)")

            let timedOut = try await hanging.value
            #expect(timedOut.status == 503 && timedOut.errorCode == "lookup_unavailable", "\(timedOut.status) \(timedOut.errorCode ?? "")")
            #expect(try await hooklog.request(.GET, "/v1/endpoints", key: key).items.isEmpty)
        } catch {
            await hooklog.stop()
            throw error
        }
        await hooklog.stop()
    }

    private static func instant(_ text: String) -> Date? {
        let format = ISO8601DateFormatter()
        format.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return format.date(from: text)
    }
}
