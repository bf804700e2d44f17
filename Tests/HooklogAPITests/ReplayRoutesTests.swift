import Foundation
import HooklogTestSupport
import NIOHTTP1
import Synchronization
import Testing

@Suite("POST /v1/replays re-sends exactly a window; GET /v1/replays/{id} follows it")
struct ReplayRoutesTests {
    /// An RFC 3339 time with milliseconds.
    static func rfc3339(_ ms: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }

    static func nowMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// A replay request retried with its `Idempotency-Key` gets the first answer, marked
    /// `Idempotent-Replayed`, and journals nothing: its deliveries go out once. Two at once make
    /// one replay. Another request with the key is refused; the key is the caller's, so the
    /// admin's same key is another request.
    @Test(.timeLimit(.minutes(1)))
    func testARepeatedIdempotencyKeyGetsTheFirstReplayAnswerAndResendsNothingAgain() async throws {
        let isDown = Mutex(true)
        try await withAPIHarness(script: { _ in isDown.withLock { $0 } ? .status(503) : .status(200) }) { hooklog in
            let key = try await hooklog.createTenant()
            _ = try await hooklog.createEndpoint(key: key, path: "/hook")
            let sinceMs = Self.nowMs() - 1
            for index in 0..<3 { _ = try await hooklog.postEvent(key: key, data: #"{"n":\#(index)}"#) }
            _ = try await hooklog.waitFor("/v1/deliveries?status=failed", key: key) { $0.items.count == 3 }
            isDown.withLock { $0 = false }
            let before = hooklog.receiver.requests(on: "/hook").count
            let window = #""since":"\#(Self.rfc3339(sinceMs))","until":"\#(Self.rfc3339(Self.nowMs() + 1))""#
            let failed = "{\(window),\"status\":\"failed\"}"
            // Every matching delivery, finished or not: a second replay journaled for the same
            // request would send them all again, and the receiver would count it.
            let all = "{\(window),\"status\":\"all\"}"

            let first = try await hooklog.request(.POST, "/v1/replays", key: key, body: all, headers: [("Idempotency-Key", "outage-7")])
            #expect(first.status == 202 && first.json["matched"] as? Int == 3 && first.headers["idempotent-replayed"] == nil, "\(first.json)")
            _ = try await hooklog.receiver.waitForRequests(before + 3, on: "/hook")
            _ = try await hooklog.waitFor("/v1/deliveries?status=succeeded", key: key) { $0.items.count == 3 }

            let again = try await hooklog.request(.POST, "/v1/replays", key: key, body: all, headers: [("Idempotency-Key", "outage-7")])
            #expect(again.status == 202 && again.headers["idempotent-replayed"] == "true")
            #expect(again.json["id"] as? String == first.json["id"] as? String && again.json["matched"] as? Int == 3, "\(again.json)")
            let skipped = again.json["skipped"] as? [String: Any]
            #expect(skipped?["unfinished"] as? Int == 0 && skipped?["endpoint_disabled"] as? Int == 0)
            let other = try await hooklog.request(.POST, "/v1/replays", key: key, body: failed, headers: [("Idempotency-Key", "outage-7")])
            #expect(other.status == 422 && other.errorCode == "idempotency_key_reused", "another request with the key: \(other.json)")
            try await Task.sleep(for: .milliseconds(300))
            #expect(hooklog.receiver.requests(on: "/hook").count == before + 3, "nothing re-sent by the retries")

            // Matches nothing (all succeeded): it shows only whose key it is.
            let admin = try await hooklog.request(.POST, "/v1/replays", key: APIHarness.adminKey, body: failed, headers: [("Idempotency-Key", "outage-7")])
            #expect(admin.status == 202 && admin.headers["idempotent-replayed"] == nil, "another caller's key: \(admin.json)")

            async let one = hooklog.request(.POST, "/v1/replays", key: key, body: all, headers: [("Idempotency-Key", "burst-1")])
            async let two = hooklog.request(.POST, "/v1/replays", key: key, body: all, headers: [("Idempotency-Key", "burst-1")])
            let (oneAnswer, twoAnswer) = try await (one, two)
            #expect(oneAnswer.status == 202 && twoAnswer.status == 202)
            #expect(oneAnswer.json["id"] as? String == twoAnswer.json["id"] as? String, "one replay for two requests at once")
            #expect([oneAnswer, twoAnswer].filter { $0.headers["idempotent-replayed"] == "true" }.count == 1)
            _ = try await hooklog.receiver.waitForRequests(before + 6, on: "/hook")
            _ = try await hooklog.waitFor("/v1/replays/\(oneAnswer.json["id"] as? String ?? "")", key: key) { $0.json["status"] as? String == "completed" }
            try await Task.sleep(for: .milliseconds(300))
            #expect(hooklog.receiver.requests(on: "/hook").count == before + 6, "the two requests re-sent the window once")

            let tooLong = try await hooklog.request(.POST, "/v1/replays", key: key, body: failed, headers: [("Idempotency-Key", String(repeating: "k", count: 256))])
            #expect(tooLong.status == 400)

            // A request naming an endpoint deleted since it was answered still gets its answer.
            let doomed = try await hooklog.createEndpoint(key: key, path: "/doomed")
            let ofEndpoint = "{\(window),\"endpoint_id\":\"\(doomed.id)\"}"
            let answered = try await hooklog.request(.POST, "/v1/replays", key: key, body: ofEndpoint, headers: [("Idempotency-Key", "doomed-1")])
            #expect(answered.status == 202, "\(answered.json)")
            #expect(try await hooklog.request(.DELETE, "/v1/endpoints/\(doomed.id)", key: key).status == 204)
            let retried = try await hooklog.request(.POST, "/v1/replays", key: key, body: ofEndpoint, headers: [("Idempotency-Key", "doomed-1")])
            #expect(retried.status == 202 && retried.headers["idempotent-replayed"] == "true", "\(retried.json)")
            #expect(retried.json["id"] as? String == answered.json["id"] as? String)
            let unkeyed = try await hooklog.request(.POST, "/v1/replays", key: key, body: ofEndpoint)
            #expect(unkeyed.status == 404 && unkeyed.errorCode == "not_found", "a new request for it finds no endpoint: \(unkeyed.json)")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func testReplayResendsExactlyTheFailedWindowOnceWithItsEventIds() async throws {
        let isDown = Mutex(false)
        try await withAPIHarness(script: { _ in isDown.withLock { $0 } ? .status(503) : .status(200) }) { hooklog in
            let key = try await hooklog.createTenant()
            _ = try await hooklog.createEndpoint(key: key, path: "/hook")
            for index in 0..<5 { _ = try await hooklog.postEvent(key: key, data: #"{"before":\#(index)}"#) }
            // Settled, not only received: the receiver counts a request before it answers.
            _ = try await hooklog.waitFor("/v1/deliveries?status=succeeded", key: key) { $0.items.count == 5 }

            // The outage starts before the window and ends after it: failed deliveries lie on
            // both sides, so only the window's bounds keep them out of the replay.
            isDown.withLock { $0 = true }
            for index in 0..<2 { _ = try await hooklog.postEvent(key: key, data: #"{"down before":\#(index)}"#) }
            _ = try await hooklog.waitFor("/v1/deliveries?status=failed", key: key) { $0.items.count == 2 }
            try await Task.sleep(for: .milliseconds(5))
            let sinceMs = Self.nowMs()
            try await Task.sleep(for: .milliseconds(5))
            var windowIds: Set<String> = []
            for index in 0..<20 {
                let posted = try await hooklog.postEvent(key: key, data: #"{"window":\#(index)}"#)
                windowIds.insert(try #require(posted.json["id"] as? String))
            }
            _ = try await hooklog.waitFor("/v1/deliveries?status=failed", key: key) { $0.items.count == 22 }
            try await Task.sleep(for: .milliseconds(5))
            let untilMs = Self.nowMs()
            try await Task.sleep(for: .milliseconds(5))
            for index in 0..<2 { _ = try await hooklog.postEvent(key: key, data: #"{"down after":\#(index)}"#) }
            _ = try await hooklog.waitFor("/v1/deliveries?status=failed", key: key) { $0.items.count == 24 }
            isDown.withLock { $0 = false }
            for index in 0..<5 { _ = try await hooklog.postEvent(key: key, data: #"{"after":\#(index)}"#) }
            _ = try await hooklog.waitFor("/v1/deliveries?status=succeeded", key: key) { $0.items.count == 10 }
            let before = hooklog.receiver.requests(on: "/hook").count

            let replayed = try await hooklog.request(
                .POST, "/v1/replays", key: key,
                body: #"{"since":"\#(Self.rfc3339(sinceMs))","until":"\#(Self.rfc3339(untilMs))"}"#
            )
            #expect(replayed.status == 202)
            #expect(replayed.json["matched"] as? Int == 20)
            let skipped = replayed.json["skipped"] as? [String: Any]
            #expect(skipped?["unfinished"] as? Int == 0 && skipped?["endpoint_disabled"] as? Int == 0)
            let replayId = try #require(replayed.json["id"] as? String)

            _ = try await hooklog.receiver.waitForRequests(before + 20, on: "/hook")
            let done = try await hooklog.waitFor("/v1/replays/\(replayId)", key: key) { $0.json["status"] as? String == "completed" }
            #expect(done.json["matched"] as? Int == 20)
            #expect(done.json["succeeded"] as? Int == 20)
            #expect(done.json["failed"] as? Int == 0)
            #expect(done.json["remaining"] as? Int == 0)
            #expect(done.json["delivery_status"] as? String == "failed")
            try await Task.sleep(for: .milliseconds(200))
            let resent = hooklog.receiver.requests(on: "/hook").dropFirst(before).compactMap { $0.header("webhook-id") }
            #expect(resent.count == 20)
            #expect(Set(resent) == windowIds)
            #expect(try await hooklog.request(.GET, "/v1/deliveries?status=failed", key: key).items.count == 4, "the outage's outside the window")

            // Every finished delivery of the window, now succeeded: the window's bounds alone keep
            // the events before and after it out.
            let again = try await hooklog.request(
                .POST, "/v1/replays", key: key,
                body: #"{"since":"\#(Self.rfc3339(sinceMs))","until":"\#(Self.rfc3339(untilMs))","status":"all"}"#
            )
            #expect(again.status == 202)
            #expect(again.json["matched"] as? Int == 20)
            _ = try await hooklog.receiver.waitForRequests(before + 40, on: "/hook")
            try await Task.sleep(for: .milliseconds(200))
            let resentAgain = hooklog.receiver.requests(on: "/hook").dropFirst(before + 20).compactMap { $0.header("webhook-id") }
            #expect(resentAgain.count == 20)
            #expect(Set(resentAgain) == windowIds)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func testTheAdminKeyReplaysEveryTenantsWindow() async throws {
        let isDown = Mutex(true)
        try await withAPIHarness(script: { _ in isDown.withLock { $0 } ? .status(503) : .status(200) }) { hooklog in
            let sinceMs = Self.nowMs() - 1
            var keys: [String] = []
            for name in ["First", "Second", "Quiet"] { keys.append(try await hooklog.createTenant(name)) }
            for (index, key) in keys.prefix(2).enumerated() {
                _ = try await hooklog.createEndpoint(key: key, path: "/tenant\(index)")
                for _ in 0...index { _ = try await hooklog.postEvent(key: key) }
                _ = try await hooklog.waitFor("/v1/deliveries?status=failed", key: key) { $0.items.count == index + 1 }
            }
            isDown.withLock { $0 = false }
            let body = #"{"since":"\#(Self.rfc3339(sinceMs))","until":"\#(Self.rfc3339(Self.nowMs() + 1))"}"#
            let replayed = try await hooklog.request(.POST, "/v1/replays", key: APIHarness.adminKey, body: body)
            #expect(replayed.status == 202)
            #expect(replayed.json["matched"] as? Int == 3)
            #expect(replayed.json["id"] is NSNull, "two replays: no one id stands for the request")
            let replays = replayed.json["replays"] as? [[String: Any]] ?? []
            #expect(replays.compactMap { $0["matched"] as? Int }.sorted() == [1, 2])
            _ = try await hooklog.receiver.waitForRequests(4 * 1 + 1, on: "/tenant0")
            _ = try await hooklog.receiver.waitForRequests(4 * 2 + 2, on: "/tenant1")
            for replay in replays {
                let id = try #require(replay["id"] as? String)
                let done = try await hooklog.waitFor("/v1/replays/\(id)", key: APIHarness.adminKey) { $0.json["status"] as? String == "completed" }
                #expect(done.json["succeeded"] as? Int == replay["matched"] as? Int)
            }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func testBadReplayRequestsAreRefused() async throws {
        try await withAPIHarness { hooklog in
            let key = try await hooklog.createTenant()
            let since = Self.rfc3339(Self.nowMs() - 60_000)
            let until = Self.rfc3339(Self.nowMs())
            let bodies = [
                #"{"since":"\#(until)","until":"\#(since)"}"#,
                #"{"since":"\#(since)","until":"\#(since)"}"#,
                #"{"since":"yesterday","until":"\#(until)"}"#,
                #"{"until":"\#(until)"}"#,
                #"{"since":"\#(since)","until":"\#(until)","status":"succeeded"}"#,
                #"{"since":"\#(since)","until":"\#(until)","event_types":[]}"#,
                #"{"since":"\#(since)","until":"\#(until)","endpoint_id":"nope"}"#,
                #"{"since":"\#(since)","until":"\#(until)","event_types":[""]}"#,
                // Kept in the replay's row, rewritten with each delivery it re-sends: bounded.
                #"{"since":"\#(since)","until":"\#(until)","event_types":["call.completed","\#(String(repeating: "a", count: 129))"]}"#,
                // Malformed, whoever asks: not the "no such tenant" a well-formed other one gets.
                #"{"since":"\#(since)","until":"\#(until)","tenant_id":"nope"}"#,
                // A misspelled filter is refused, not ignored: ignored, it would widen the replay.
                #"{"since":"\#(since)","until":"\#(until)","event_type":["call.ended"]}"#,
            ]
            for body in bodies {
                let answer = try await hooklog.request(.POST, "/v1/replays", key: key, body: body)
                #expect(answer.status == 422, "\(body)")
                #expect((answer.json["error"] as? [String: Any])?["code"] as? String == "invalid_field", "\(body)")
            }
            // A mistyped event type would match nothing, unseen: refused as ingestion refuses it.
            let mistyped = try await hooklog.request(.POST, "/v1/replays", key: key, body: #"{"since":"\#(since)","until":"\#(until)","event_types":["call.complete"]}"#)
            #expect(mistyped.status == 422 && mistyped.errorCode == "unknown_event_type", "\(mistyped.json)")
            // Messages name what was wrong as the caller wrote it.
            for (body, expected) in [
                (#"{"since":"1969-12-31T23:59:59Z","until":"\#(until)"}"#, "since must be an RFC 3339 time from 1970 to 9999"),
                (#"{"since":"2026-05-09T15:00:00Z","until":"2026-05-09T14:00:00Z"}"#, "since (2026-05-09T15:00:00.000Z) must be before until (2026-05-09T14:00:00.000Z)"),
                (#"{"since":"\#(since)","until":"\#(until)","event_types":"call.completed"}"#, "event_types must be an array"),
                (#"{"since":"\#(since)","until":"\#(until)","event_types":[7]}"#, "event_types[0] must be a string"),
            ] {
                let answer = try await hooklog.request(.POST, "/v1/replays", key: key, body: body)
                let message = (answer.json["error"] as? [String: Any])?["message"] as? String ?? ""
                #expect(answer.status == 422 && message.contains(expected), "\(body): \(message)")
            }
            let misspelled = try await hooklog.request(.POST, "/v1/replays", key: key, body: #"{"since":"\#(since)","until":"\#(until)","endpoint":"ep_x"}"#)
            let message = (misspelled.json["error"] as? [String: Any])?["message"] as? String ?? ""
            #expect(message.hasPrefix("\"endpoint\" is not a member this request takes") && message.contains("endpoint_id"), "\(message)")
            #expect(try await hooklog.request(.POST, "/v1/replays", key: key, body: "{").status == 400)
            #expect(try await hooklog.request(.POST, "/v1/replays", body: #"{"since":"\#(since)","until":"\#(until)"}"#).status == 401)
            #expect(try await hooklog.request(.GET, "/v1/replays/rpl_nothing", key: key).status == 404)
            let empty = try await hooklog.request(.POST, "/v1/replays", key: key, body: #"{"since":"\#(since)","until":"\#(until)","status":"all"}"#)
            #expect(empty.status == 202)
            #expect(empty.json["matched"] as? Int == 0)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func testAnotherTenantsEndpointAndReplayAreNotFound() async throws {
        try await withAPIHarness { hooklog in
            let owner = try await hooklog.createTenant("Owner")
            let other = try await hooklog.createTenant("Other")
            let endpoint = try await hooklog.createEndpoint(key: owner, path: "/owner")
            let since = Self.rfc3339(Self.nowMs() - 60_000)
            let until = Self.rfc3339(Self.nowMs() + 1_000)
            let foreign = try await hooklog.request(
                .POST, "/v1/replays", key: other, body: #"{"since":"\#(since)","until":"\#(until)","endpoint_id":"\#(endpoint.id)"}"#
            )
            #expect(foreign.status == 404)
            #expect(foreign.errorCode == "not_found")
            let mine = try await hooklog.request(
                .POST, "/v1/replays", key: owner, body: #"{"since":"\#(since)","until":"\#(until)","endpoint_id":"\#(endpoint.id)"}"#
            )
            #expect(mine.status == 202)
            let replayId = try #require(mine.json["id"] as? String)
            #expect(try await hooklog.request(.GET, "/v1/replays/\(replayId)", key: owner).status == 200)
            #expect(try await hooklog.request(.GET, "/v1/replays/\(replayId)", key: other).status == 404)
            #expect(try await hooklog.request(.GET, "/v1/replays/\(replayId)", key: APIHarness.adminKey).status == 200)
        }
    }
}
