import Foundation
import HooklogTestSupport
import NIOHTTP1
import Testing

@Suite("Idempotency-Key")
struct IdempotencyTests {
    @Test(.timeLimit(.minutes(1)))
    func testRepeatedKeyReturnsTheFirstAnswerAndPlansNothingNew() async throws {
        try await withAPIHarness { hooklog in
            let key = try await hooklog.createTenant()
            _ = try await hooklog.createEndpoint(key: key, path: "/hook")
            let first = try await hooklog.postEvent(key: key, idempotencyKey: "order-42")
            let second = try await hooklog.postEvent(key: key, idempotencyKey: "order-42")
            #expect(first.status == 202)
            #expect(second.status == 202)
            #expect(first.body == second.body)
            #expect(second.headers["idempotent-replayed"] == "true")
            #expect(first.headers["idempotent-replayed"] == nil)
            // Another event with the key is not a repeat: refused, not dropped behind a 202.
            let reused = try await hooklog.postEvent(key: key, data: #"{"other":true}"#, idempotencyKey: "order-42")
            #expect(reused.status == 422 && reused.errorCode == "idempotency_key_reused", "\(reused.json)")
            let anotherType = try await hooklog.postEvent(key: key, type: "call.started", idempotencyKey: "order-42")
            #expect(anotherType.status == 422 && anotherType.errorCode == "idempotency_key_reused")

            let other = try await hooklog.postEvent(key: key, idempotencyKey: "order-43")
            #expect(other.json["id"] as? String != first.json["id"] as? String)

            _ = try await hooklog.receiver.waitForRequests(2, on: "/hook")
            try await Task.sleep(for: .milliseconds(200))
            #expect(hooklog.receiver.requests(on: "/hook").count == 2)
            #expect(try await hooklog.request(.GET, "/v1/events", key: key).items.count == 2)
            #expect(try await hooklog.request(.GET, "/v1/deliveries", key: key).items.count == 2)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func testTheSameKeyOfAnotherTenantIsIndependent() async throws {
        try await withAPIHarness { hooklog in
            let first = try await hooklog.createTenant("A")
            let second = try await hooklog.createTenant("B")
            let a = try await hooklog.postEvent(key: first, idempotencyKey: "shared")
            let b = try await hooklog.postEvent(key: second, idempotencyKey: "shared")
            #expect(a.json["id"] as? String != b.json["id"] as? String)
            #expect(b.headers["idempotent-replayed"] == nil)
        }
    }

    /// A repeat of a taken event gets its first answer even when its webhook_url would now be
    /// refused (here the service came back not allowing private addresses; in production, DNS
    /// that now answers privately): a client retrying after a lost answer must not read a 422 as
    /// its event refused.
    @Test(.timeLimit(.minutes(1)))
    func testARepeatIsAnsweredFirstWhateverItsInlineURLWouldGetNow() async throws {
        let folder = NSTemporaryDirectory() + "hooklog-idempotency-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let allowing = try await APIHarness.start(folder: folder)
        let key = try await allowing.createTenant()
        let inline = #","webhook_url":"\#(allowing.receiver.baseURL)/inline""#
        let first = try await allowing.postEvent(key: key, idempotencyKey: "call-42-completed", extra: inline)
        #expect(first.status == 202)
        await allowing.stop(removingData: false)

        let refusing = try await APIHarness.start(allowsPrivateURLs: false, folder: folder)
        let repeated = try await refusing.postEvent(key: key, idempotencyKey: "call-42-completed", extra: inline)
        #expect(repeated.status == 202)
        #expect(repeated.headers["idempotent-replayed"] == "true")
        #expect(repeated.json["id"] as? String == first.json["id"] as? String)
        let fresh = try await refusing.postEvent(key: key, idempotencyKey: "call-43-completed", extra: inline)
        #expect(fresh.status == 422, "a new event to that URL is refused")
        await refusing.stop(removingData: false)
    }
}
