import Foundation
import NIOHTTP1
import HooklogTestSupport
import Testing

@Suite("Events are delivered, signed, and read back through the API")
struct DeliveryFlowTests {
    @Test(.timeLimit(.minutes(1)))
    func testPostedEventsArriveSignedAndDeliveriesReadBack() async throws {
        try await withAPIHarness { hooklog in
            let key = try await hooklog.createTenant()
            let standard = try await hooklog.createEndpoint(key: key, path: "/standard", events: ["call.completed"])
            let callingBox = try await hooklog.createEndpoint(key: key, path: "/callingbox", profile: "callingbox")
            var eventIds: [String] = []
            for index in 0..<3 {
                let answer = try await hooklog.postEvent(key: key, data: #"{"n":\#(index)}"#, extra: #","call_id":"call_\#(index)""#)
                #expect(answer.status == 202)
                let deliveries = answer.json["deliveries"] as? [[String: Any]] ?? []
                #expect(Set(deliveries.compactMap { $0["endpoint_id"] as? String }) == [standard.id, callingBox.id])
                #expect((answer.json["seq"] as? Int ?? 0) > 0)
                eventIds.append(try #require(answer.json["id"] as? String))
            }
            let standardRequests = try await hooklog.receiver.waitForRequests(3, on: "/standard")
            let callingBoxRequests = try await hooklog.receiver.waitForRequests(3, on: "/callingbox")
            let nowSeconds = Int64(Date().timeIntervalSince1970)
            for request in standardRequests {
                #expect(StandardWebhooksVerifier.verify(secret: standard.secret, headers: request.headers, body: request.body, nowSeconds: nowSeconds))
                #expect(eventIds.contains(request.header("webhook-id") ?? ""))
            }
            for request in callingBoxRequests {
                #expect(CallingBoxVerifier.verify(secret: callingBox.secret, headers: request.headers, body: request.body, nowSeconds: nowSeconds))
            }

            let listed = try await hooklog.waitFor("/v1/deliveries?endpoint_id=\(standard.id)&status=succeeded", key: key) { $0.items.count == 3 }
            for delivery in listed.items {
                #expect(delivery["endpoint_id"] as? String == standard.id)
                let attempts = delivery["attempts"] as? [[String: Any]] ?? []
                #expect(attempts.count == 1 && delivery["attempt_count"] as? Int == 1)
                #expect(attempts.first?["status_code"] as? Int == 200)
                #expect(attempts.first?["finished_at"] is String)
            }
            let deliveryId = try #require(listed.items.first?["id"] as? String)
            let one = try await hooklog.request(.GET, "/v1/deliveries/\(deliveryId)", key: key)
            #expect(one.status == 200)
            #expect(one.json["status"] as? String == "succeeded")

            let event = try await hooklog.request(.GET, "/v1/events/\(eventIds[0])", key: key)
            #expect(event.status == 200)
            #expect(event.json["call_id"] as? String == "call_0")
            #expect((event.json["data"] as? [String: Any])?["n"] as? Int == 0)
            #expect((event.json["deliveries"] as? [[String: Any]])?.count == 2)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func testRetryNowResendsAFinishedDeliveryWithTheSameEventId() async throws {
        try await withAPIHarness { hooklog in
            let key = try await hooklog.createTenant()
            _ = try await hooklog.createEndpoint(key: key, path: "/hook")
            let posted = try await hooklog.postEvent(key: key)
            let eventId = try #require(posted.json["id"] as? String)
            let deliveryId = try #require((posted.json["deliveries"] as? [[String: Any]])?.first?["id"] as? String)
            _ = try await hooklog.waitFor("/v1/deliveries/\(deliveryId)", key: key) { $0.json["status"] as? String == "succeeded" }

            let retried = try await hooklog.request(.POST, "/v1/deliveries/\(deliveryId)/retry", key: key)
            #expect(retried.status == 202)
            let requests = try await hooklog.receiver.waitForRequests(2, on: "/hook")
            #expect(requests.map { $0.header("webhook-id") } == [eventId, eventId])
            let done = try await hooklog.waitFor("/v1/deliveries/\(deliveryId)", key: key) {
                $0.json["status"] as? String == "succeeded" && ($0.json["attempts"] as? [Any])?.count == 2
            }
            #expect(done.status == 200)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func testEndpointChangesDisablingRotationAndDeletion() async throws {
        try await withAPIHarness { hooklog in
            let key = try await hooklog.createTenant()
            let endpoint = try await hooklog.createEndpoint(key: key, path: "/first")

            let read = try await hooklog.request(.GET, "/v1/endpoints/\(endpoint.id)", key: key)
            #expect(read.status == 200)
            #expect(read.json["signing_secret"] == nil)
            #expect(!read.text.contains(endpoint.secret))

            let patched = try await hooklog.request(
                .PATCH, "/v1/endpoints/\(endpoint.id)", key: key,
                body: #"{"url":"\#(hooklog.receiver.baseURL)/second","description":"moved","metadata":{"team":"ops"}}"#
            )
            #expect(patched.status == 200)
            #expect(patched.json["url"] as? String == hooklog.receiver.baseURL + "/second")
            #expect((patched.json["metadata"] as? [String: Any])?["team"] as? String == "ops")
            let cleared = try await hooklog.request(.PATCH, "/v1/endpoints/\(endpoint.id)", key: key, body: #"{"metadata":null}"#)
            #expect(cleared.json["metadata"] is NSNull)

            let disabled = try await hooklog.request(.PATCH, "/v1/endpoints/\(endpoint.id)", key: key, body: #"{"status":"disabled"}"#)
            #expect(disabled.json["status"] as? String == "disabled")
            #expect(disabled.json["disabled_reason"] as? String == "by_user")
            let whileDisabled = try await hooklog.postEvent(key: key)
            #expect((whileDisabled.json["deliveries"] as? [Any])?.isEmpty == true)

            let enabled = try await hooklog.request(.PATCH, "/v1/endpoints/\(endpoint.id)", key: key, body: #"{"status":"enabled"}"#)
            #expect(enabled.json["status"] as? String == "enabled")
            let rotated = try await hooklog.request(.POST, "/v1/endpoints/\(endpoint.id)/rotate_secret", key: key)
            #expect(rotated.status == 200)
            let newSecret = try #require(rotated.json["signing_secret"] as? String)
            #expect(newSecret != endpoint.secret)
            #expect(rotated.json["previous_secret_expires_at"] is String)

            _ = try await hooklog.postEvent(key: key)
            let request = try #require(try await hooklog.receiver.waitForRequests(1, on: "/second").first)
            let now = Int64(Date().timeIntervalSince1970)
            #expect(StandardWebhooksVerifier.verify(secret: newSecret, headers: request.headers, body: request.body, nowSeconds: now))
            #expect(StandardWebhooksVerifier.verify(secret: endpoint.secret, headers: request.headers, body: request.body, nowSeconds: now))
            #expect(hooklog.receiver.requests(on: "/first").isEmpty)

            let deleted = try await hooklog.request(.DELETE, "/v1/endpoints/\(endpoint.id)", key: key)
            #expect(deleted.status == 204)
            #expect(try await hooklog.request(.GET, "/v1/endpoints/\(endpoint.id)", key: key).status == 404)
            #expect(try await hooklog.request(.GET, "/v1/endpoints", key: key).items.isEmpty)
        }
    }

    /// Callina's header carries one signature: a rotation gives no grace period it could not
    /// keep. The answer says the old secret signs no more, and the next delivery is signed with
    /// the new one alone; CallingBox's header carries both, until the time the answer gives.
    @Test(.timeLimit(.minutes(1)))
    func testARotationPromisesTheOldSecretOnlyWhereTheProfileSignsWithIt() async throws {
        try await withAPIHarness { hooklog in
            let key = try await hooklog.createTenant()
            let callina = try await hooklog.createEndpoint(key: key, path: "/callina", profile: "callina")
            let callingBox = try await hooklog.createEndpoint(key: key, path: "/callingbox", profile: "callingbox")
            let rotatedCallina = try await hooklog.request(.POST, "/v1/endpoints/\(callina.id)/rotate_secret", key: key)
            #expect(rotatedCallina.status == 200)
            #expect(rotatedCallina.json["previous_secret_expires_at"] is NSNull, "\(rotatedCallina.json)")
            let newCallinaSecret = try #require(rotatedCallina.json["signing_secret"] as? String)
            let rotatedCallingBox = try await hooklog.request(.POST, "/v1/endpoints/\(callingBox.id)/rotate_secret", key: key)
            #expect(rotatedCallingBox.json["previous_secret_expires_at"] is String, "\(rotatedCallingBox.json)")
            let newCallingBoxSecret = try #require(rotatedCallingBox.json["signing_secret"] as? String)

            _ = try await hooklog.postEvent(key: key)
            let toCallina = try #require(try await hooklog.receiver.waitForRequests(1, on: "/callina").first)
            #expect(CallinaVerifier.verify(secret: newCallinaSecret, headers: toCallina.headers, body: toCallina.body))
            #expect(!CallinaVerifier.verify(secret: callina.secret, headers: toCallina.headers, body: toCallina.body))
            let toCallingBox = try #require(try await hooklog.receiver.waitForRequests(1, on: "/callingbox").first)
            let now = Int64(Date().timeIntervalSince1970)
            #expect(CallingBoxVerifier.verify(secret: newCallingBoxSecret, headers: toCallingBox.headers, body: toCallingBox.body, nowSeconds: now))
            #expect(CallingBoxVerifier.verify(secret: callingBox.secret, headers: toCallingBox.headers, body: toCallingBox.body, nowSeconds: now))
        }
    }

    /// A second rotation within the first one's grace does not cut the first secret's grace
    /// short: a receiver still holding the original secret verifies, as the first answer promised.
    @Test(.timeLimit(.minutes(1)))
    func testARotationWithinAGracePeriodKeepsEveryPromisedSecretSigning() async throws {
        try await withAPIHarness { hooklog in
            let key = try await hooklog.createTenant()
            for profile in ["standard", "callingbox"] {
                let endpoint = try await hooklog.createEndpoint(key: key, path: "/\(profile)", profile: profile)
                var secrets = [endpoint.secret]
                for _ in 0..<2 {
                    let rotated = try await hooklog.request(.POST, "/v1/endpoints/\(endpoint.id)/rotate_secret", key: key)
                    #expect(rotated.json["previous_secret_expires_at"] is String, "\(rotated.json)")
                    secrets.append(try #require(rotated.json["signing_secret"] as? String))
                }
                _ = try await hooklog.postEvent(key: key)
                let request = try #require(try await hooklog.receiver.waitForRequests(1, on: "/\(profile)").first)
                let now = Int64(Date().timeIntervalSince1970)
                for secret in secrets {
                    let verified = profile == "standard"
                        ? StandardWebhooksVerifier.verify(secret: secret, headers: request.headers, body: request.body, nowSeconds: now)
                        : CallingBoxVerifier.verify(secret: secret, headers: request.headers, body: request.body, nowSeconds: now)
                    #expect(verified, "\(profile): secret \(secrets.firstIndex(of: secret)!) of \(secrets.count)")
                }
            }
        }
    }

    /// The scheduler sleeps without a deadline when nothing waits; disabling an endpoint through
    /// the API plans `endpoint.disabled` deliveries, which must wake it.
    @Test(.timeLimit(.minutes(1)))
    func testAUsersDisableWakesAnIdleSchedulerForTheEndpointDisabledEvent() async throws {
        try await withAPIHarness { hooklog in
            let key = try await hooklog.createTenant()
            let calls = try await hooklog.createEndpoint(key: key, path: "/calls", events: ["call.completed"])
            _ = try await hooklog.createEndpoint(key: key, path: "/health", events: ["endpoint.disabled"])
            _ = try await hooklog.postEvent(key: key)
            _ = try await hooklog.receiver.waitForRequests(1, on: "/calls")
            // Idle: nothing waits, so the scheduler sleeps until it is woken.
            try await Task.sleep(for: .milliseconds(300))
            let disabled = try await hooklog.request(.PATCH, "/v1/endpoints/\(calls.id)", key: key, body: #"{"status":"disabled"}"#)
            #expect(disabled.status == 200)
            let notice = try #require(try await hooklog.receiver.waitForRequests(1, on: "/health", timeoutMs: 5_000).first)
            let body = try #require(try JSONSerialization.jsonObject(with: Data(notice.body)) as? [String: Any])
            #expect(body["type"] as? String == "endpoint.disabled")
            let data = try #require(body["data"] as? [String: Any])
            #expect(data["endpoint_id"] as? String == calls.id && data["reason"] as? String == "by_user")
            #expect(data["url"] == nil, "a URL may hold a secret token, and this goes to another receiver")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func testABearerProfilesEndpointCannotBeLeftWithoutItsTokenNorGetOneThatBreaksTheHeader() async throws {
        try await withAPIHarness { hooklog in
            let key = try await hooklog.createTenant()
            let created = try await hooklog.request(
                .POST, "/v1/endpoints", key: key,
                body: #"{"url":"\#(hooklog.receiver.baseURL)/bearer","profile":"calleague","bearer_token":"tok_1"}"#
            )
            #expect(created.status == 201, "\(created.text)")
            let id = try #require(created.json["id"] as? String)
            let logBefore = try await hooklog.request(.GET, "/v1/export", key: APIHarness.adminKey)

            let cleared = try await hooklog.request(.PATCH, "/v1/endpoints/\(id)", key: key, body: #"{"bearer_token":null}"#)
            #expect(cleared.status == 422)
            #expect(cleared.errorCode == "invalid_field")
            #expect((cleared.json["error"] as? [String: Any])?["message"] as? String == "the calleague profile authenticates with bearer_token; give one")
            // The token goes into the Authorization header: a line feed would end it early.
            let injected = try await hooklog.request(.PATCH, "/v1/endpoints/\(id)", key: key, body: #"{"bearer_token":"tok\nX-Injected: 1"}"#)
            #expect(injected.status == 422)
            #expect((injected.json["error"] as? [String: Any])?["message"] as? String == "bearer_token must be at most 4096 bytes, without control characters")
            let refusedAtCreation = try await hooklog.request(
                .POST, "/v1/endpoints", key: key,
                body: #"{"url":"\#(hooklog.receiver.baseURL)/bearer","profile":"calleague","bearer_token":"tok\r\n"}"#
            )
            #expect(refusedAtCreation.status == 422)
            let logAfter = try await hooklog.request(.GET, "/v1/export", key: APIHarness.adminKey)
            #expect(logAfter.body == logBefore.body, "the refused changes journaled nothing")

            let moved = try await hooklog.request(.PATCH, "/v1/endpoints/\(id)", key: key, body: #"{"profile":"standard","bearer_token":null}"#)
            #expect(moved.status == 200, "without the bearer profile, the token may go")

            // An empty token given at creation is none: the endpoint cannot move to a bearer
            // profile without one, where every delivery would fail for want of its header.
            let emptyToken = try await hooklog.request(
                .POST, "/v1/endpoints", key: key, body: #"{"url":"\#(hooklog.receiver.baseURL)/plain","bearer_token":""}"#
            )
            #expect(emptyToken.status == 201 && emptyToken.json["has_bearer_token"] as? Bool == false, "\(emptyToken.json)")
            let emptyId = try #require(emptyToken.json["id"] as? String)
            let toBearer = try await hooklog.request(.PATCH, "/v1/endpoints/\(emptyId)", key: key, body: #"{"profile":"calleague"}"#)
            #expect(toBearer.status == 422 && toBearer.errorCode == "invalid_field", "\(toBearer.json)")
        }
    }
}
