import Foundation
import HooklogCore
import HooklogJournal
import HooklogTestSupport
import NIOHTTP1
import Synchronization
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

    /// A key is 1 to 255 printable ASCII characters, sent once. Other bytes are refused, not
    /// read lossily (two different keys could arrive as one, and the second event be dropped as
    /// a repeat), and two fields are not joined into one key.
    @Test(.timeLimit(.minutes(1)))
    func testAKeyOfOtherCharactersOrSentTwiceIsRefusedAndNothingIsJournaled() async throws {
        try await withAPIHarness { hooklog in
            let key = try await hooklog.createTenant()
            for headers in [[("Idempotency-Key", "bestellung-é")], [("Idempotency-Key", "a"), ("Idempotency-Key", "b")], [("Idempotency-Key", String(repeating: "k", count: 256))]] {
                let refused = try await hooklog.request(.POST, "/v1/events", key: key, body: #"{"type":"call.completed","data":{}}"#, headers: headers)
                #expect(refused.status == 400 && refused.errorCode == "invalid_parameter", "\(headers): \(refused.json)")
            }
            #expect(try await hooklog.request(.GET, "/v1/events", key: key).items.isEmpty)
            for accepted in ["a, b", String(repeating: "~", count: 255)] {
                #expect(try await hooklog.postEvent(key: key, idempotencyKey: accepted).status == 202, "\(accepted)")
            }
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

@Suite("Idempotency-Key on endpoint creation")
struct EndpointIdempotencyTests {
    private static func create(_ hooklog: APIHarness, key: String, path: String, description: String = "CRM", idempotencyKey: String?) async throws -> APIHarness.Answer {
        try await hooklog.request(
            .POST,
            "/v1/endpoints",
            key: key,
            body: #"{"url":"\#(hooklog.receiver.baseURL)\#(path)","description":"\#(description)"}"#,
            headers: idempotencyKey.map { [("Idempotency-Key", $0)] } ?? []
        )
    }

    /// A client that lost the answer to a creation and sends it again must not get a second
    /// endpoint (every event would then be delivered twice), and must get the secret it missed.
    @Test(.timeLimit(.minutes(1)))
    func testARepeatedCreationAnswersWithTheFirstEndpointAndItsSecretAndAddsNone() async throws {
        try await withAPIHarness { hooklog in
            let key = try await hooklog.createTenant()
            let first = try await Self.create(hooklog, key: key, path: "/crm", idempotencyKey: "crm-endpoint")
            #expect(first.status == 201 && first.headers["idempotent-replayed"] == nil, "\(first.json)")
            let id = try #require(first.json["id"] as? String)
            let secret = try #require(first.json["signing_secret"] as? String)
            // Changed since: the repeat still answers as the first request was answered.
            let patched = try await hooklog.request(.PATCH, "/v1/endpoints/\(id)", key: key, body: #"{"description":"changed"}"#)
            #expect(patched.status == 200)

            let repeated = try await Self.create(hooklog, key: key, path: "/crm", idempotencyKey: "crm-endpoint")
            #expect(repeated.status == 201, "\(repeated.json)")
            #expect(repeated.headers["idempotent-replayed"] == "true")
            #expect(repeated.json["id"] as? String == id)
            #expect(repeated.json["signing_secret"] as? String == secret)
            #expect(repeated.json["description"] as? String == "CRM")
            #expect(repeated.json["created_at"] as? String == first.json["created_at"] as? String)

            // Another endpoint with the key is not a repeat: refused, not answered with the first.
            let reused = try await Self.create(hooklog, key: key, path: "/other", idempotencyKey: "crm-endpoint")
            #expect(reused.status == 422 && reused.errorCode == "idempotency_key_reused", "\(reused.json)")
            // Without a key, or with another, a creation is a new endpoint.
            #expect(try await Self.create(hooklog, key: key, path: "/crm", idempotencyKey: nil).status == 201)
            #expect(try await Self.create(hooklog, key: key, path: "/crm", idempotencyKey: "crm-endpoint-2").status == 201)
            #expect(try await hooklog.request(.GET, "/v1/endpoints", key: key).items.count == 3)

            // The key is the tenant's, and its endpoints' apart from its events'.
            let otherTenant = try await hooklog.createTenant("B")
            let others = try await Self.create(hooklog, key: otherTenant, path: "/crm", idempotencyKey: "crm-endpoint")
            #expect(others.status == 201 && others.headers["idempotent-replayed"] == nil && others.json["id"] as? String != id)
            let event = try await hooklog.postEvent(key: key, idempotencyKey: "crm-endpoint")
            #expect(event.status == 202 && event.headers["idempotent-replayed"] == nil)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func testCreationsRacingWithOneKeyMakeOneEndpoint() async throws {
        try await withAPIHarness { hooklog in
            let key = try await hooklog.createTenant()
            let answers = try await withThrowingTaskGroup(of: APIHarness.Answer.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await Self.create(hooklog, key: key, path: "/crm", idempotencyKey: "race") }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.allSatisfy { $0.status == 201 }, "\(answers.map(\.status))")
            #expect(Set(answers.compactMap { $0.json["id"] as? String }).count == 1)
            #expect(Set(answers.compactMap { $0.json["signing_secret"] as? String }).count == 1)
            #expect(answers.filter { $0.headers["idempotent-replayed"] == nil }.count == 1)
            #expect(try await hooklog.request(.GET, "/v1/endpoints", key: key).items.count == 1)
        }
    }

    /// The key is kept in the journal: after a restart, and after the projections are rebuilt
    /// from the log, a repeat still gets the first endpoint.
    @Test(.timeLimit(.minutes(2)))
    func testAKeyIsStillTakenAfterARestartWithRebuiltProjections() async throws {
        let folder = NSTemporaryDirectory() + "hooklog-endpoint-idempotency-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let before = try await APIHarness.start(folder: folder)
        let key = try await before.createTenant()
        // The body a retry sends again, byte for byte (the receiver of the first run, long gone).
        let body = #"{"url":"\#(before.receiver.baseURL)/crm"}"#
        let create = { (hooklog: APIHarness) in
            try await hooklog.request(.POST, "/v1/endpoints", key: key, body: body, headers: [("Idempotency-Key", "crm-endpoint")])
        }
        let first = try await create(before)
        #expect(first.status == 201)
        await before.stop(removingData: false)
        try rebuildProjections(inDataDirectory: folder)

        let after = try await APIHarness.start(folder: folder)
        let repeated = try await create(after)
        #expect(repeated.status == 201 && repeated.headers["idempotent-replayed"] == "true", "\(repeated.json)")
        #expect(repeated.json["id"] as? String == first.json["id"] as? String)
        #expect(repeated.json["signing_secret"] as? String == first.json["signing_secret"] as? String)
        #expect(try await after.request(.GET, "/v1/endpoints", key: key).items.count == 1)
        await after.stop(removingData: false)
    }
}

extension EndpointIdempotencyTests {
    /// The first answer holds the signing secret: a repeat gets it for a day, not for ever.
    @Test(.timeLimit(.minutes(1)))
    func testARepeatIsAnsweredForADayThenRefusedAndAddsNothing() async throws {
        let nowMs = Mutex(JournalConfiguration.wallClockMs())
        let hooklog = try await APIHarness.start(clock: { nowMs.withLock { $0 } })
        let key = try await hooklog.createTenant()
        let first = try await Self.create(hooklog, key: key, path: "/crm", idempotencyKey: "crm-endpoint")
        #expect(first.status == 201)
        // The service's clock runs on from the wall clock's last reading while that stands still.
        let createdAtMs = try #require((first.json["created_at"] as? String).flatMap { TimeFormat.instantMs(rfc3339: $0) })
        nowMs.withLock { $0 = createdAtMs + HooklogStore.repeatAnswerWindowMs - 1 }
        let lastMinute = try await Self.create(hooklog, key: key, path: "/crm", idempotencyKey: "crm-endpoint")
        #expect(lastMinute.status == 201 && lastMinute.headers["idempotent-replayed"] == "true")
        #expect(lastMinute.json["signing_secret"] as? String == first.json["signing_secret"] as? String)
        nowMs.withLock { $0 = createdAtMs + HooklogStore.repeatAnswerWindowMs }
        let late = try await Self.create(hooklog, key: key, path: "/crm", idempotencyKey: "crm-endpoint")
        #expect(late.status == 422 && late.errorCode == "idempotency_key_expired", "\(late.json)")
        #expect(late.json["signing_secret"] == nil)
        #expect(((late.json["error"] as? [String: Any])?["created_at"] as? String) == first.json["created_at"] as? String)
        #expect(try await hooklog.request(.GET, "/v1/endpoints", key: key).items.count == 1)
        await hooklog.stop()
    }

    /// A repeat is answered before the URL is looked at again (here the service came back not
    /// allowing private addresses; in production, DNS that now answers privately), and before the
    /// tenant's endpoints are counted: a client retrying after a lost answer must not read a 422
    /// or a 409 as its endpoint refused.
    @Test(.timeLimit(.minutes(1)))
    func testARepeatIsAnsweredWhateverItsURLWouldGetNowAndAtTheEndpointLimit() async throws {
        let folder = NSTemporaryDirectory() + "hooklog-endpoint-idempotency-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let allowing = try await APIHarness.start(maxEndpointsPerTenant: 1, folder: folder)
        let key = try await allowing.createTenant()
        let body = #"{"url":"\#(allowing.receiver.baseURL)/crm"}"#
        let create = { (hooklog: APIHarness, idempotencyKey: String) in
            try await hooklog.request(.POST, "/v1/endpoints", key: key, body: body, headers: [("Idempotency-Key", idempotencyKey)])
        }
        let first = try await create(allowing, "crm-endpoint")
        #expect(first.status == 201)
        let atTheLimit = try await create(allowing, "crm-endpoint")
        #expect(atTheLimit.status == 201 && atTheLimit.headers["idempotent-replayed"] == "true", "\(atTheLimit.json)")
        #expect(try await create(allowing, "another").status == 409, "a new endpoint is past the limit")
        await allowing.stop(removingData: false)

        let refusing = try await APIHarness.start(allowsPrivateURLs: false, folder: folder)
        let repeated = try await create(refusing, "crm-endpoint")
        #expect(repeated.status == 201 && repeated.headers["idempotent-replayed"] == "true", "\(repeated.json)")
        #expect(repeated.json["id"] as? String == first.json["id"] as? String)
        #expect(try await create(refusing, "fresh").status == 422, "a new endpoint at that URL is refused")
        await refusing.stop(removingData: false)
    }
}

/// Rebuilds the projections of the stopped data directory at `path` from its log, in place.
func rebuildProjections(inDataDirectory path: String) throws {
    let environment = try LMDBEnvironment(.init(path: path), databaseNames: HooklogStore.databaseNames)
    try ProjectionRebuilder(source: LogReader(environment: environment), target: environment).rebuild()
}

@Suite("Idempotency-Key on tenant creation")
struct TenantIdempotencyTests {
    private static func create(_ hooklog: APIHarness, name: String = "Callina GmbH", idempotencyKey: String?) async throws -> APIHarness.Answer {
        try await hooklog.request(
            .POST, "/v1/tenants", key: APIHarness.adminKey, body: #"{"name":"\#(name)"}"#, headers: idempotencyKey.map { [("Idempotency-Key", $0)] } ?? []
        )
    }

    /// How many tenants the log holds.
    private static func tenantCount(_ hooklog: APIHarness) async throws -> Int {
        let export = try await hooklog.request(.GET, "/v1/export", key: APIHarness.adminKey)
        return export.text.split(separator: "\n").filter { $0.contains(#""kind":"tenant_created""#) }.count
    }

    /// An onboarding script that lost the answer to a creation and sends it again gets no second
    /// tenant: it is told which tenant the first request created, and gives it a new key (the
    /// first answer's key is kept only as a hash, so it cannot be shown again).
    @Test(.timeLimit(.minutes(1)))
    func testARepeatedCreationCreatesNoSecondTenantAndNamesTheFirst() async throws {
        try await withAPIHarness { hooklog in
            let first = try await Self.create(hooklog, idempotencyKey: "onboard-callina")
            #expect(first.status == 201, "\(first.json)")
            let id = try #require(first.json["id"] as? String)
            let repeated = try await Self.create(hooklog, idempotencyKey: "onboard-callina")
            let error = try #require(repeated.json["error"] as? [String: Any], "\(repeated.json)")
            #expect(repeated.status == 409 && error["code"] as? String == "already_created")
            #expect(error["id"] as? String == id && error["created_at"] as? String == first.json["created_at"] as? String)
            #expect(repeated.json["api_key"] == nil)
            #expect(try await Self.tenantCount(hooklog) == 1)
            // It names the routes that give the tenant new secrets, each whole.
            let message = error["message"] as? String ?? ""
            for route in ["rotate_api_key", "rotate_inline_signing_secret"] {
                #expect(message.contains("POST /v1/tenants/\(id)/\(route)"), "\(message)")
            }

            // The way back to a key: rotate it; the first answer's key (if it did arrive) stops working.
            let rotated = try await hooklog.request(.POST, "/v1/tenants/\(id)/rotate_api_key", key: APIHarness.adminKey)
            let newKey = try #require(rotated.json["api_key"] as? String)
            #expect(try await hooklog.request(.GET, "/v1/endpoints", key: newKey).status == 200)

            // Another tenant with the key is not a repeat: refused; without a key, or another, a new tenant.
            let reused = try await Self.create(hooklog, name: "Callaro", idempotencyKey: "onboard-callina")
            #expect(reused.status == 422 && reused.errorCode == "idempotency_key_reused", "\(reused.json)")
            #expect(try await Self.create(hooklog, idempotencyKey: nil).status == 201)
            #expect(try await Self.create(hooklog, idempotencyKey: "onboard-callina-2").status == 201)
            #expect(try await Self.tenantCount(hooklog) == 3)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func testCreationsRacingWithOneKeyMakeOneTenant() async throws {
        try await withAPIHarness { hooklog in
            let answers = try await withThrowingTaskGroup(of: APIHarness.Answer.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await Self.create(hooklog, idempotencyKey: "race") }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.filter { $0.status == 201 }.count == 1, "\(answers.map(\.status))")
            #expect(answers.filter { $0.status == 409 }.count == 7)
            #expect(try await Self.tenantCount(hooklog) == 1)
        }
    }

    /// The key is kept in the journal: after a restart with the projections rebuilt from the
    /// log, a repeat still creates nothing.
    @Test(.timeLimit(.minutes(2)))
    func testAKeyIsStillTakenAfterARestartWithRebuiltProjections() async throws {
        let folder = NSTemporaryDirectory() + "hooklog-tenant-idempotency-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let before = try await APIHarness.start(folder: folder)
        let first = try await Self.create(before, idempotencyKey: "onboard-callina")
        #expect(first.status == 201)
        await before.stop(removingData: false)
        try rebuildProjections(inDataDirectory: folder)

        let after = try await APIHarness.start(folder: folder)
        let repeated = try await Self.create(after, idempotencyKey: "onboard-callina")
        #expect(repeated.status == 409 && repeated.errorCode == "already_created", "\(repeated.json)")
        #expect((repeated.json["error"] as? [String: Any])?["id"] as? String == first.json["id"] as? String)
        #expect(try await Self.tenantCount(after) == 1)
        await after.stop(removingData: false)
    }
}
