import Foundation
import HooklogJournal
import HooklogTestSupport
import NIOHTTP1
import Synchronization
import Testing

@Suite("Idempotency-Key on delivery retry")
struct RetryIdempotencyTests {
    private static func retry(
        _ hooklog: APIHarness,
        key: String,
        _ deliveryId: String,
        idempotencyKey: String?,
        through proxyBaseURL: String? = nil
    ) async throws -> APIHarness.Answer {
        try await hooklog.request(
            .POST, "/v1/deliveries/\(deliveryId)/retry", key: key, headers: idempotencyKey.map { [("Idempotency-Key", $0)] } ?? [], through: proxyBaseURL
        )
    }

    /// A tenant, an endpoint at the receiver's `/hook`, and `count` events delivered there: the
    /// tenant's key, and each event's id and delivery id.
    private static func deliveredEvents(_ hooklog: APIHarness, count: Int) async throws -> (key: String, events: [(id: String, deliveryId: String)]) {
        let key = try await hooklog.createTenant()
        _ = try await hooklog.createEndpoint(key: key, path: "/hook")
        var events: [(id: String, deliveryId: String)] = []
        for _ in 0..<count {
            let posted = try await hooklog.postEvent(key: key)
            let deliveryId = try #require((posted.json["deliveries"] as? [[String: Any]])?.first?["id"] as? String)
            events.append((try #require(posted.json["id"] as? String), deliveryId))
        }
        for event in events {
            _ = try await hooklog.waitFor("/v1/deliveries/\(event.deliveryId)", key: key) { $0.json["status"] as? String == "succeeded" }
        }
        return (key, events)
    }

    /// The answer to a retry is lost on its way back after the retry was journaled; the client
    /// asks again with its key and gets 202, and the event goes out once more, not twice.
    @Test(.timeLimit(.minutes(1)))
    func testARetryWhoseAnswerWasLostIsAskedForAgainAndSendsTheEventOnce() async throws {
        try await withAPIHarness { hooklog in
            let (key, events) = try await Self.deliveredEvents(hooklog, count: 2)
            let (eventId, deliveryId) = events[0]
            let proxy = try AnswerDroppingProxy(to: hooklog.baseURL, droppingFirst: 1)
            defer { proxy.stop() }

            _ = try? await Self.retry(hooklog, key: key, deliveryId, idempotencyKey: "resend-1", through: proxy.baseURL)
            let again = try await Self.retry(hooklog, key: key, deliveryId, idempotencyKey: "resend-1", through: proxy.baseURL)
            #expect(proxy.answers.map(\.dropped) == [true, false])
            #expect(proxy.answers.first?.text.hasPrefix("HTTP/1.1 202") == true, "the first ask was taken: \(proxy.answers)")
            #expect(again.status == 202 && again.headers["idempotent-replayed"] == "true", "\(again.json)")
            #expect(again.json["id"] as? String == deliveryId)

            let resent = try await hooklog.receiver.waitForRequests(3, on: "/hook")
            #expect(resent.last?.header("webhook-id") == eventId)
            _ = try await hooklog.waitFor("/v1/deliveries/\(deliveryId)", key: key) {
                $0.json["status"] as? String == "succeeded" && $0.json["attempt_count"] as? Int == 2
            }
            // Asked again once the retry has landed: still the repeat, nothing sent.
            let late = try await Self.retry(hooklog, key: key, deliveryId, idempotencyKey: "resend-1")
            #expect(late.status == 202 && late.headers["idempotent-replayed"] == "true" && late.json["status"] as? String == "succeeded")
            try await Task.sleep(for: .milliseconds(300))
            #expect(hooklog.receiver.requests(on: "/hook").count == 3, "the retried event once more, not twice")

            // The key with another delivery is another request: refused, not answered as the first.
            let reused = try await Self.retry(hooklog, key: key, events[1].deliveryId, idempotencyKey: "resend-1")
            #expect(reused.status == 422 && reused.errorCode == "idempotency_key_reused", "\(reused.json)")
            // A tenant's retry keys are apart from its event keys; without a key, each retry sends.
            let event = try await hooklog.postEvent(key: key, idempotencyKey: "resend-1")
            #expect(event.status == 202 && event.headers["idempotent-replayed"] == nil)
            let unkeyed = try await Self.retry(hooklog, key: key, events[1].deliveryId, idempotencyKey: nil)
            #expect(unkeyed.status == 202 && unkeyed.headers["idempotent-replayed"] == nil)
            _ = try await hooklog.receiver.waitForRequests(5, on: "/hook")
        }
    }

    /// Retries racing with one key (a client's timeout firing while its first request is
    /// served) journal one retry, and every one of them is answered 202, even while the retry's
    /// attempt is out.
    @Test(.timeLimit(.minutes(1)))
    func testRetriesRacingWithOneKeySendTheEventOnce() async throws {
        try await withAPIHarness { hooklog in
            let (key, events) = try await Self.deliveredEvents(hooklog, count: 1)
            let deliveryId = events[0].deliveryId
            let answers = try await withThrowingTaskGroup(of: APIHarness.Answer.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await Self.retry(hooklog, key: key, deliveryId, idempotencyKey: "race") }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.allSatisfy { $0.status == 202 }, "\(answers.map(\.status))")
            #expect(answers.filter { $0.headers["idempotent-replayed"] == nil }.count == 1)
            _ = try await hooklog.waitFor("/v1/deliveries/\(deliveryId)", key: key) {
                $0.json["status"] as? String == "succeeded" && $0.json["attempt_count"] as? Int == 2
            }
            try await Task.sleep(for: .milliseconds(300))
            #expect(hooklog.receiver.requests(on: "/hook").count == 2)
        }
    }

    /// A retry refused (its endpoint disabled) takes no key: once the endpoint is enabled, the
    /// same request with the same key is a first retry, and sends.
    @Test(.timeLimit(.minutes(1)))
    func testARefusedRetryLeavesItsKeyFree() async throws {
        try await withAPIHarness { hooklog in
            let (key, events) = try await Self.deliveredEvents(hooklog, count: 1)
            let deliveryId = events[0].deliveryId
            let endpointId = try #require(try await hooklog.request(.GET, "/v1/endpoints", key: key).items.first?["id"] as? String)
            #expect(try await hooklog.request(.PATCH, "/v1/endpoints/\(endpointId)", key: key, body: #"{"status":"disabled"}"#).status == 200)
            let refused = try await Self.retry(hooklog, key: key, deliveryId, idempotencyKey: "after-fix")
            #expect(refused.status == 409, "\(refused.json)")
            #expect(try await hooklog.request(.PATCH, "/v1/endpoints/\(endpointId)", key: key, body: #"{"status":"enabled"}"#).status == 200)
            let first = try await Self.retry(hooklog, key: key, deliveryId, idempotencyKey: "after-fix")
            #expect(first.status == 202 && first.headers["idempotent-replayed"] == nil, "\(first.json)")
            _ = try await hooklog.receiver.waitForRequests(2, on: "/hook")
        }
    }

    /// The key is kept in the journal: after a restart with the projections rebuilt from the
    /// log, a repeat is still answered as one and sends nothing.
    @Test(.timeLimit(.minutes(2)))
    func testAKeyIsStillTakenAfterARestartWithRebuiltProjections() async throws {
        let folder = NSTemporaryDirectory() + "hooklog-retry-idempotency-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let before = try await APIHarness.start(folder: folder)
        let (key, events) = try await Self.deliveredEvents(before, count: 1)
        let deliveryId = events[0].deliveryId
        #expect(try await Self.retry(before, key: key, deliveryId, idempotencyKey: "resend-1").status == 202)
        _ = try await before.waitFor("/v1/deliveries/\(deliveryId)", key: key) { $0.json["attempt_count"] as? Int == 2 && $0.json["status"] as? String == "succeeded" }
        await before.stop(removingData: false)
        try rebuildProjections(inDataDirectory: folder)

        let after = try await APIHarness.start(folder: folder)
        // Pointed at this run's receiver, so that anything sent again would be seen.
        let endpointId = try #require(try await after.request(.GET, "/v1/endpoints", key: key).items.first?["id"] as? String)
        let moved = try await after.request(.PATCH, "/v1/endpoints/\(endpointId)", key: key, body: #"{"url":"\#(after.receiver.baseURL)/hook"}"#)
        #expect(moved.status == 200)
        let repeated = try await Self.retry(after, key: key, deliveryId, idempotencyKey: "resend-1")
        #expect(repeated.status == 202 && repeated.headers["idempotent-replayed"] == "true", "\(repeated.json)")
        try await Task.sleep(for: .milliseconds(300))
        #expect(after.receiver.requests(on: "/hook").isEmpty, "nothing sent again")
        #expect(try await after.request(.GET, "/v1/deliveries/\(deliveryId)", key: key).json["attempt_count"] as? Int == 2)
        await after.stop(removingData: false)
    }

    /// A repeat is answered as one for a day from the retry; then the key is free again, as
    /// Stripe forgets its keys, and a retry with it (of any delivery) is a new one that sends.
    @Test(.timeLimit(.minutes(1)))
    func testAKeyAnswersRepeatsForADayThenRetriesAgain() async throws {
        let nowMs = Mutex(JournalConfiguration.wallClockMs())
        let hooklog = try await APIHarness.start(clock: { nowMs.withLock { $0 } })
        let (key, events) = try await Self.deliveredEvents(hooklog, count: 2)
        // The service's clock runs on from the wall clock's last reading while that stands still:
        // the retry's time is a little after this, and the margins below are seconds.
        let retriedAtMs = nowMs.withLock { $0 }
        #expect(try await Self.retry(hooklog, key: key, events[0].deliveryId, idempotencyKey: "resend").status == 202)
        _ = try await hooklog.receiver.waitForRequests(3, on: "/hook")

        nowMs.withLock { $0 = retriedAtMs + HooklogStore.repeatAnswerWindowMs - 5_000 }
        let lastMinute = try await Self.retry(hooklog, key: key, events[0].deliveryId, idempotencyKey: "resend")
        #expect(lastMinute.status == 202 && lastMinute.headers["idempotent-replayed"] == "true", "\(lastMinute.json)")
        #expect(try await Self.retry(hooklog, key: key, events[1].deliveryId, idempotencyKey: "resend").errorCode == "idempotency_key_reused")

        nowMs.withLock { $0 = retriedAtMs + HooklogStore.repeatAnswerWindowMs + 5_000 }
        let nextDay = try await Self.retry(hooklog, key: key, events[1].deliveryId, idempotencyKey: "resend")
        #expect(nextDay.status == 202 && nextDay.headers["idempotent-replayed"] == nil, "\(nextDay.json)")
        let resent = try await hooklog.receiver.waitForRequests(4, on: "/hook")
        #expect(resent.last?.header("webhook-id") == events[1].id)
        // The key is the second retry's now, for a day from it.
        #expect(try await Self.retry(hooklog, key: key, events[0].deliveryId, idempotencyKey: "resend").errorCode == "idempotency_key_reused")
        try await Task.sleep(for: .milliseconds(300))
        #expect(hooklog.receiver.requests(on: "/hook").count == 4)
        await hooklog.stop()
    }
}
