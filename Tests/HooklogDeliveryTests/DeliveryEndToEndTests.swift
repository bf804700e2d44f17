import Foundation
import HooklogCore
@testable import HooklogDelivery
import HooklogJournal
import HooklogTestSupport
import Logging
import Synchronization
import Testing

@Suite("Delivery end to end", .timeLimit(.minutes(2)))
struct DeliveryEndToEndTests {
    private static var nowSeconds: Int64 { Int64(Date().timeIntervalSince1970) }

    @Test func eachProfileDeliversARequestThatItsOwnDocumentsVerifierAccepts() async throws {
        let harness = try await DeliveryHarness.start()
        let standardSecret = "whsec_" + Base64.encode(Array(repeating: 5, count: 32))
        _ = try await harness.endpoint("/standard", profile: "standard", secret: standardSecret)
        _ = try await harness.endpoint("/callingbox", profile: "callingbox", secret: "cb_secret")
        _ = try await harness.endpoint("/callina", profile: "callina", secret: "callina_secret")
        _ = try await harness.endpoint("/calleague", profile: "calleague", bearerToken: "calleague-token")
        _ = try await harness.endpoint("/callaro", profile: "callaro")
        let event = try await harness.post(data: #"{"call_id":"vs_12345","extracted_data":{}}"#, metadata: #"{"orderId":"A-1042"}"#)
        #expect(event.deliveries.count == 5)
        _ = try await harness.receiver.waitForRequests(5)

        let standard = try #require(harness.receiver.requests(on: "/standard").first)
        #expect(StandardWebhooksVerifier.verify(secret: standardSecret, headers: standard.headers, body: standard.body, nowSeconds: Self.nowSeconds))
        #expect(standard.header("webhook-id") == event.eventId.description)

        let callingBox = try #require(harness.receiver.requests(on: "/callingbox").first)
        #expect(CallingBoxVerifier.verify(secret: "cb_secret", headers: callingBox.headers, body: callingBox.body, nowSeconds: Self.nowSeconds))
        #expect(callingBox.header("CallingBox-Event-Id") == event.eventId.description)

        let callina = try #require(harness.receiver.requests(on: "/callina").first)
        #expect(CallinaVerifier.verify(secret: "callina_secret", headers: callina.headers, body: callina.body))

        let calleague = try #require(harness.receiver.requests(on: "/calleague").first)
        #expect(CalleagueVerifier.verify(key: "calleague-token", headers: calleague.headers))
        #expect(String(decoding: calleague.body, as: UTF8.self).contains(#""metadata":{"orderId":"A-1042"}"#))

        let callaro = try #require(harness.receiver.requests(on: "/callaro").first)
        #expect(CallaroVerifier.dedupeKey(body: callaro.body) != nil)
        #expect(callaro.header("Authorization") == nil)

        for delivery in event.deliveries {
            #expect(try await harness.waitForDelivery(delivery.deliveryId).status == .succeeded)
        }
        await harness.stop()
    }

    @Test func twoFailuresThenSuccessTakeThreeAttemptsWithTheSameEventId() async throws {
        let harness = try await DeliveryHarness.start { request in
            request.countOnPath < 3 ? .status(500) : .status(200)
        }
        _ = try await harness.endpoint("/flaky")
        let event = try await harness.post()
        let delivery = try await harness.waitForDelivery(event.deliveries[0].deliveryId)
        #expect(delivery.status == .succeeded)
        #expect(delivery.attempts.map(\.statusCode) == [500, 500, 200])
        let requests = harness.receiver.requests(on: "/flaky")
        #expect(requests.count == 3)
        #expect(Set(requests.compactMap { $0.header("webhook-id") }) == [event.eventId.description])
        await harness.stop()
    }

    /// A 503's or a 429's `Retry-After` holds the retry back that long (past the schedule's 20 ms);
    /// on other statuses the header means nothing for a retry, and the schedule alone decides.
    @Test func aRetryAfterOnA503HoldsTheRetryBackAndOnA500IsIgnored() async throws {
        let harness = try await DeliveryHarness.start(retrySchedule: "20ms,5s") { request in
            guard request.countOnPath == 1 else { return .status(200) }
            return request.path == "/busy" ? .withHeaders(["Retry-After": "1"], .status(503)) : .withHeaders(["Retry-After": "3"], .status(500))
        }
        _ = try await harness.endpoint("/busy")
        _ = try await harness.endpoint("/broken")
        let event = try await harness.post()
        var gapsMs: [String: UInt64] = [:]
        for planned in event.deliveries {
            let delivery = try await harness.waitForDelivery(planned.deliveryId)
            #expect(delivery.status == .succeeded)
            try #require(delivery.attempts.count == 2)
            let path = delivery.attempts[0].statusCode == 503 ? "/busy" : "/broken"
            gapsMs[path] = delivery.attempts[1].startedAtMs - (delivery.attempts[0].finishedAtMs ?? .max)
        }
        #expect(try #require(gapsMs["/busy"]) >= 1_000, "the 503 asked for a second")
        #expect(try #require(gapsMs["/broken"]) < 3_000, "a 500's Retry-After is not obeyed")
        await harness.stop()
    }

    @Test func receiverThatNeverAnswersEndsFailedAfterTheWholeSchedule() async throws {
        let harness = try await DeliveryHarness.start(retrySchedule: "20ms,40ms", requestTimeoutMs: 150) { _ in .hang }
        _ = try await harness.endpoint("/silent")
        let event = try await harness.post()
        let delivery = try await harness.waitForDelivery(event.deliveries[0].deliveryId)
        #expect(delivery.status == .failed)
        #expect(delivery.failureReason == .retriesExhausted)
        #expect(delivery.attempts.count == 3)
        #expect(delivery.attempts.allSatisfy { $0.errorKind == .timeout && $0.statusCode == nil })
        await harness.stop()
    }

    /// An endpoint id deleted and created again by another tenant is not the endpoint an old
    /// delivery went to: a retry of it, or one already waiting, never reaches the new owner's URL
    /// signed with the new owner's secret.
    @Test func aDeliveryNeverGoesToAnotherTenantsEndpointThatReusedItsEndpointsId() async throws {
        let harness = try await DeliveryHarness.start(retrySchedule: "20ms,40ms") { _ in .status(200) }
        let endpointId = try await harness.endpoint("/first-owner")
        let event = try await harness.post()
        let deliveryId = event.deliveries[0].deliveryId
        #expect(try await harness.waitForDelivery(deliveryId).status == .succeeded)
        #expect(try await harness.store.deleteEndpoint(endpointId, tenantId: harness.tenantId, nowMs: JournalConfiguration.wallClockMs()))
        let other = try await harness.store.createTenant(
            name: "Other", apiKeyHash: SHA256Hasher.digest(Array("other".utf8)), defaultSigningSecret: "whsec_other", nowMs: JournalConfiguration.wallClockMs()
        )
        try await harness.store.append([.endpointCreated(EndpointCreated(
            endpointId: endpointId, tenantId: other, url: harness.receiver.baseURL + "/second-owner", description: "", enabledEvents: ["*"],
            profile: "standard", signingSecret: "whsec_" + Base64.encode(Array(repeating: 9, count: 32)), bearerToken: nil, metadata: nil,
            createdAtMs: JournalConfiguration.wallClockMs()
        ))])
        #expect(try await harness.store.retryDelivery(deliveryId, tenantId: harness.tenantId, nowMs: JournalConfiguration.wallClockMs()) == .endpointUnavailable)
        // One already waiting (as a log written before this check could hold) is cancelled when due.
        try await harness.store.append([.deliveryRetryScheduled(DeliveryRetryScheduled(deliveryId: deliveryId, dueAtMs: JournalConfiguration.wallClockMs()))])
        let ended = try await harness.waitForDelivery(deliveryId) { $0.status == .cancelled }
        #expect(ended.status == .cancelled)
        #expect(harness.receiver.requests(on: "/second-owner").isEmpty)
        await harness.stop()
    }

    /// Per-call URLs to one host share one target's limit: a slow host's many calls cannot each
    /// take a whole limit and together every slot of the process.
    @Test func perCallURLsToOneHostShareOneLimit() async throws {
        let harness = try await DeliveryHarness.start(maxConcurrentAttemptsPerEndpoint: 2) { _ in .delayed(milliseconds: 300, .status(200)) }
        var deliveries: [DeliveryID] = []
        for call in 0..<6 {
            let event = try await harness.post(webhookURL: harness.receiver.baseURL + "/hook?call=\(call)")
            deliveries += event.deliveries.map(\.deliveryId)
        }
        for deliveryId in deliveries {
            #expect(try await harness.waitForDelivery(deliveryId).status == .succeeded)
        }
        #expect(harness.receiver.requests(on: "/hook").count == 6)
        #expect(harness.receiver.mostConcurrentRequests(on: "/hook") <= 2)
        await harness.stop()
    }

    /// A 200 whose body then stalls past the timeout was taken: sending it again would only
    /// make a duplicate.
    @Test func aTwoHundredWhoseBodyStallsSucceedsWithoutASecondSend() async throws {
        // The head comes at once; the body never does. A timeout long enough for the head on a
        // loaded machine.
        let harness = try await DeliveryHarness.start(retrySchedule: "20ms,40ms", requestTimeoutMs: 1_500) { _ in .stallAfterHead(200, bodyStart: "{") }
        _ = try await harness.endpoint("/stalls")
        let event = try await harness.post()
        let delivery = try await harness.waitForDelivery(event.deliveries[0].deliveryId)
        #expect(delivery.status == .succeeded)
        #expect(delivery.attempts.map(\.statusCode) == [200])
        #expect(harness.receiver.requests(on: "/stalls").count == 1)
        await harness.stop()
    }

    /// A 410 from the URL an endpoint had when the attempt started, answered after the endpoint
    /// moved to another, is the old URL's: the endpoint stays enabled and the delivery goes to
    /// the new URL at once.
    @Test func goneFromAURLTheEndpointHasLeftDisablesNothing() async throws {
        let harness = try await DeliveryHarness.start(requestTimeoutMs: 5_000) { request in
            // Long enough for the endpoint to move meanwhile, however loaded the machine.
            request.path == "/retired" ? .delayed(milliseconds: 2_000, .status(410)) : .status(200)
        }
        let endpoint = try await harness.endpoint("/retired")
        let event = try await harness.post()
        _ = try await harness.receiver.waitForRequests(1, on: "/retired")
        let moved = try await harness.store.updateEndpoint(
            endpoint, tenantId: harness.tenantId, EndpointChange(url: harness.receiver.baseURL + "/current"), nowMs: JournalConfiguration.wallClockMs()
        )
        #expect(moved?.url.hasSuffix("/current") == true)
        let delivery = try await harness.waitForDelivery(event.deliveries[0].deliveryId)
        #expect(delivery.status == .succeeded && delivery.attempts.map(\.statusCode) == [410, 200], "\(delivery)")
        #expect(try harness.endpointState(endpoint)?.status == .enabled)
        #expect(harness.receiver.requests(on: "/current").count == 1)
        await harness.stop()
    }

    /// The last retry's failure, answered by the URL an endpoint had when the attempt started
    /// after the endpoint moved to another, is the old URL's verdict: the delivery does not fail
    /// but goes to the new URL at once.
    @Test func theLastRetryFailingAtAURLTheEndpointHasLeftDoesNotFailTheDelivery() async throws {
        let retiring = RequestCount()
        let harness = try await DeliveryHarness.start(retrySchedule: "20ms", requestTimeoutMs: 5_000) { request in
            guard request.path == "/retiring" else { return .status(200) }
            // The last attempt's answer comes late enough for the endpoint to move meanwhile.
            return retiring.next() == 1 ? .status(500) : .delayed(milliseconds: 2_000, .status(500))
        }
        let endpoint = try await harness.endpoint("/retiring")
        let event = try await harness.post()
        _ = try await harness.receiver.waitForRequests(2, on: "/retiring")
        _ = try await harness.store.updateEndpoint(
            endpoint, tenantId: harness.tenantId, EndpointChange(url: harness.receiver.baseURL + "/current"), nowMs: JournalConfiguration.wallClockMs()
        )
        let delivery = try await harness.waitForDelivery(event.deliveries[0].deliveryId)
        #expect(delivery.status == .succeeded && delivery.attempts.map(\.statusCode) == [500, 500, 200], "\(delivery)")
        #expect(harness.receiver.requests(on: "/current").count == 1)
        await harness.stop()
    }

    /// An endpoint's profile gone from the catalog (its file removed since) fails the attempt:
    /// the standard profile's envelope, which it once fell back to, is not what the receiver
    /// verifies, even where the secret would sign it.
    @Test func anAttemptWhoseProfileIsNotLoadedFailsRatherThanGoOutUnderAnother() async throws {
        let profiles = NSTemporaryDirectory() + "hooklog-profiles-" + UUID().uuidString
        try FileManager.default.copyItem(atPath: DeliveryHarness.configFolder + "/profiles", toPath: profiles)
        defer { try? FileManager.default.removeItem(atPath: profiles) }
        try FileManager.default.removeItem(atPath: profiles + "/callina.json")
        let harness = try await DeliveryHarness.start(retrySchedule: "5ms", profilesFolder: profiles)
        _ = try await harness.endpoint("/hook", profile: "callina", secret: DeliveryHarness.tenantSigningSecret)
        let event = try await harness.post()
        let delivery = try await harness.waitForDelivery(event.deliveries[0].deliveryId)
        #expect(delivery.status == .failed && delivery.attempts.map(\.errorKind) == [.other, .other], "\(delivery)")
        #expect(harness.receiver.requests(on: "/hook").isEmpty)
        await harness.stop()
    }

    @Test func goneDisablesTheEndpointAndTellsTheTenantsOtherEndpoints() async throws {
        let harness = try await DeliveryHarness.start { request in
            request.path == "/gone" ? .status(410) : .status(200)
        }
        let gone = try await harness.endpoint("/gone", events: ["call.completed"])
        _ = try await harness.endpoint("/ops", events: ["endpoint.disabled"])
        let event = try await harness.post()
        let delivery = try await harness.waitForDelivery(event.deliveries[0].deliveryId)
        #expect(delivery.status == .failed && delivery.failureReason == .endpointGone)
        #expect(try harness.endpointState(gone)?.status.disabledReason == .gone)
        let notice = try #require(try await harness.receiver.waitForRequests(1, on: "/ops").first)
        let body = String(decoding: notice.body, as: UTF8.self)
        #expect(body.contains(#""type":"endpoint.disabled""#) && body.contains(gone.description))
        // A disabled endpoint gets nothing more.
        let later = try await harness.post()
        #expect(later.deliveries.isEmpty)
        await harness.stop()
    }

    @Test func inlineWebhookURLIsSignedWithTheTenantsDefaultSecret() async throws {
        let harness = try await DeliveryHarness.start()
        let event = try await harness.post(webhookURL: harness.receiver.baseURL + "/inline")
        #expect(event.deliveries.count == 1 && event.deliveries[0].endpointId == nil)
        let request = try #require(try await harness.receiver.waitForRequests(1, on: "/inline").first)
        #expect(StandardWebhooksVerifier.verify(
            secret: DeliveryHarness.tenantSigningSecret, headers: request.headers, body: request.body, nowSeconds: Self.nowSeconds
        ))
        await harness.stop()
    }

    @Test func loopbackDestinationIsRefusedAtDeliveryTimeInProduction() async throws {
        let harness = try await DeliveryHarness.start(retrySchedule: "10ms", allowsPrivateNetworks: false)
        _ = try await harness.endpoint("/private")
        let event = try await harness.post()
        let delivery = try await harness.waitForDelivery(event.deliveries[0].deliveryId)
        #expect(delivery.status == .failed)
        #expect(delivery.attempts.allSatisfy { $0.errorKind == .refused })
        #expect(harness.receiver.requests().isEmpty)
        await harness.stop()
    }

    @Test func concurrentAttemptsToOneEndpointStayWithinItsLimit() async throws {
        let harness = try await DeliveryHarness.start(maxConcurrentAttemptsPerEndpoint: 2) { _ in
            .delayed(milliseconds: 50, .status(200))
        }
        _ = try await harness.endpoint("/narrow")
        // Posted at once, so that they are due together however slow each commit.
        let deliveries = try await withThrowingTaskGroup(of: [DeliveryID].self) { group in
            for _ in 0..<12 { group.addTask { try await harness.post().deliveries.map(\.deliveryId) } }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        for deliveryId in deliveries {
            #expect(try await harness.waitForDelivery(deliveryId).status == .succeeded)
        }
        #expect(harness.receiver.mostConcurrentRequests(on: "/narrow") == 2)
        await harness.stop()
    }

    /// A delivery the journal refuses to start (here its row no longer decodes) is held back on
    /// its own, tried again after a second, then two, not in a loop; deliveries due with it still go out.
    @Test func aDeliveryThatCannotStartIsHeldBackAndHoldsNoOtherUp() async throws {
        let messages = RecordingLogHandler.Messages()
        // A retry 1.6 to 2.4 s after the first failure: time enough to break the row first.
        let harness = try await DeliveryHarness.start(retrySchedule: "2s,2s", logger: RecordingLogHandler.logger(into: messages)) { request in
            request.path == "/broken" ? .status(500) : .status(200)
        }
        _ = try await harness.endpoint("/broken", events: ["call.started"])
        _ = try await harness.endpoint("/fine", events: ["call.completed"])
        let broken = try #require(try await harness.post("call.started").deliveries.first?.deliveryId)
        #expect(try await harness.waitForDelivery(broken, until: { $0.status == .retrying }).status == .retrying)
        try harness.store.environment.write { transaction in
            try transaction.put([0xFF], forKey: ProjectionKeys.delivery(broken), in: harness.store.environment.database(ProjectionTable.deliveries.rawValue))
        }
        // Once its retry is due, the scheduler tries to start it, and keeps finding it due.
        for _ in 0..<500 where messages.count(containing: "not started") == 0 {
            try await Task.sleep(for: .milliseconds(20))
        }
        try await Task.sleep(for: .milliseconds(1_500))
        #expect((1...2).contains(messages.count(containing: "not started")), "\(messages.count(containing: "not started")) failed starts")
        let fine = try #require(try await harness.post("call.completed").deliveries.first?.deliveryId)
        #expect(try await harness.waitForDelivery(fine, timeoutMs: 5_000).status == .succeeded)
        #expect(harness.receiver.requests(on: "/fine").count == 1)
        await harness.stop()
    }

    /// An event whose bytes changed in the log since it was received (a bad sector, an edit) is not
    /// sent again: its retry is held back and the damage logged as an error, and the receiver
    /// never gets the changed bytes signed as Hooklog's.
    @Test func anEventWhoseLogEntryChangedIsNotSentAgain() async throws {
        let messages = RecordingLogHandler.Messages()
        let harness = try await DeliveryHarness.start(retrySchedule: "600ms,600ms", logger: RecordingLogHandler.logger(into: messages)) { request in
            request.countOnPath == 1 ? .status(500) : .status(200)
        }
        _ = try await harness.endpoint("/hook")
        let deliveryId = try #require(try await harness.post(data: #"{"marker":"intact"}"#).deliveries.first?.deliveryId)
        #expect(try await harness.waitForDelivery(deliveryId, until: { $0.status == .retrying }).status == .retrying)
        try #require(try harness.store.environment.changeLogEntries(holding: "intact").count == 1)
        for _ in 0..<250 where messages.count(at: .error, containing: "no longer match its chain hash") == 0 {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(messages.count(at: .error, containing: "no longer match its chain hash") >= 1)
        #expect(harness.receiver.requests(on: "/hook").count == 1, "only the first try, before the change")
        #expect(try harness.store.read { try $0.projections.delivery(deliveryId) }?.status == .retrying)
        await harness.stop()
    }

    /// A delivery held back after a failed start is forgotten once it starts: the held-back
    /// deliveries stay those still waiting, not every one a journal outage (a full disk) touched.
    @Test func aHeldBackDeliveryIsForgottenOnceItStarts() async throws {
        let messages = RecordingLogHandler.Messages()
        let isRepaired = Atomic(false)
        let harness = try await DeliveryHarness.start(retrySchedule: "2s,2s", logger: RecordingLogHandler.logger(into: messages)) { _ in
            isRepaired.load(ordering: .relaxed) ? .status(200) : .status(500)
        }
        _ = try await harness.endpoint("/broken")
        let deliveryId = try #require(try await harness.post().deliveries.first?.deliveryId)
        #expect(try await harness.waitForDelivery(deliveryId, until: { $0.status == .retrying }).status == .retrying)
        let deliveries = harness.store.environment.database(ProjectionTable.deliveries.rawValue)
        let row = try #require(try harness.store.environment.read { try $0.value(forKey: ProjectionKeys.delivery(deliveryId), in: deliveries) })
        try harness.store.environment.write { try $0.put([0xFF], forKey: ProjectionKeys.delivery(deliveryId), in: deliveries) }
        for _ in 0..<500 where messages.count(containing: "not started") == 0 {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(harness.scheduler.heldBackCount == 1)
        try harness.store.environment.write { try $0.put(row, forKey: ProjectionKeys.delivery(deliveryId), in: deliveries) }
        isRepaired.store(true, ordering: .relaxed)
        #expect(try await harness.waitForDelivery(deliveryId, timeoutMs: 5_000, until: { $0.status == .succeeded }).status == .succeeded)
        #expect(harness.scheduler.heldBackCount == 0)
        await harness.stop()
    }

    /// A held-back delivery whose start then succeeds without an attempt (its endpoint found
    /// disabled, so it is cancelled there) is forgotten as well: settled, not started.
    @Test func aHeldBackDeliveryIsForgottenOnceItsStartSettlesIt() async throws {
        let messages = RecordingLogHandler.Messages()
        let harness = try await DeliveryHarness.start(retrySchedule: "2s,2s", logger: RecordingLogHandler.logger(into: messages)) { _ in .status(500) }
        // Not subscribed to endpoint.disabled: the one delivery held back is the event's.
        let endpointId = try await harness.endpoint("/broken", events: ["call.completed"])
        let disabledId = try await harness.endpoint("/disabled", events: ["call.completed"])
        #expect(try await harness.store.disableEndpoint(disabledId, reason: .byUser, nowMs: JournalConfiguration.wallClockMs()))
        let deliveryId = try #require(try await harness.post().deliveries.first?.deliveryId)
        #expect(try await harness.waitForDelivery(deliveryId, until: { $0.status == .retrying }).status == .retrying)
        let endpoints = harness.store.environment.database(ProjectionTable.endpoints.rawValue)
        try harness.store.environment.write { try $0.put([0xFF], forKey: ProjectionKeys.endpoint(endpointId), in: endpoints) }
        for _ in 0..<500 where messages.count(containing: "not started") == 0 {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(harness.scheduler.heldBackCount == 1)
        // The endpoint's row now reads as disabled (the other endpoint's, of the same tenant).
        let disabledRow = try #require(try harness.store.environment.read { try $0.value(forKey: ProjectionKeys.endpoint(disabledId), in: endpoints) })
        try harness.store.environment.write { try $0.put(disabledRow, forKey: ProjectionKeys.endpoint(endpointId), in: endpoints) }
        #expect(try await harness.waitForDelivery(deliveryId, timeoutMs: 5_000, until: { $0.status == .cancelled }).status == .cancelled)
        #expect(harness.scheduler.heldBackCount == 0)
        await harness.stop()
    }

    /// With a scan window of 8, the fast endpoint's deliveries lie far behind the first window:
    /// the scans must go on from where the last stopped to reach them.
    @Test(arguments: [1_024, 8])
    func anEndpointAtItsLimitDoesNotHoldUpAnother(dueScanWindow: Int) async throws {
        let harness = try await DeliveryHarness.start(maxConcurrentAttemptsPerEndpoint: 2, dueScanWindow: dueScanWindow) { request in
            request.path == "/slow" ? .delayed(milliseconds: 500, .status(200)) : .status(200)
        }
        _ = try await harness.endpoint("/slow", events: ["call.started"])
        _ = try await harness.endpoint("/fast", events: ["call.completed"])
        // A backlog of 40 for the slow endpoint (2 at a time, 500 ms each: 10 s) comes due first.
        for _ in 0..<40 { try await harness.post("call.started") }
        var fast: [DeliveryID] = []
        for _ in 0..<5 { fast += try await harness.post("call.completed").deliveries.map(\.deliveryId) }
        for deliveryId in fast {
            #expect(try await harness.waitForDelivery(deliveryId).status == .succeeded)
        }
        // The fast endpoint's deliveries went out beside the backlog, not after it.
        #expect(harness.receiver.requests(on: "/slow").count < 20)
        #expect(harness.receiver.mostConcurrentRequests(on: "/slow") == 2)
        await harness.stop()
    }

    /// A replay or a catch-up can leave one slow endpoint thousands of deliveries due at once,
    /// ahead of everyone else's in the due index: the scans step over them while that endpoint has
    /// no room, and another endpoint's delivery goes out at once, not a window at a time later.
    /// The backlog is longer than one scan may step over, so a pass takes more than one scan.
    @Test func aLongBacklogOfOneEndpointDoesNotDelayAnother() async throws {
        // A timeout well past the slow answers, however loaded the machine: one at a time it stays.
        let harness = try await DeliveryHarness.start(requestTimeoutMs: 5_000, maxConcurrentAttemptsPerEndpoint: 1, dueScanWindow: 8) { request in
            request.path == "/slow" ? .delayed(milliseconds: 400, .status(200)) : .status(200)
        }
        _ = try await harness.endpoint("/slow", events: ["call.started"])
        _ = try await harness.endpoint("/fast", events: ["call.completed"])
        for _ in 0..<40 {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<500 { group.addTask { try await harness.post("call.started") } }
                try await group.waitForAll()
            }
        }
        let postedAt = ContinuousClock.now
        let fast = try #require(try await harness.post("call.completed").deliveries.first?.deliveryId)
        #expect(try await harness.waitForDelivery(fast, timeoutMs: 5_000).status == .succeeded)
        let waited = postedAt.duration(to: .now)
        #expect(waited < .seconds(2), "the fast endpoint's delivery waited \(waited) behind the backlog")
        #expect(harness.receiver.requests(on: "/slow").count < 100, "the backlog is still there")
        #expect(harness.receiver.mostConcurrentRequests(on: "/slow") == 1)
        await harness.stop()
    }

    /// While every due delivery's endpoint is at its limit, a pass over the due index that took
    /// nothing is blocked: the scheduler rests (until a slot frees, or `blockedRecheck`), rather
    /// than scan again every `scanInterval`, which would be ten times as often.
    @Test func aBlockedSchedulerRestsBetweenScans() async throws {
        let harness = try await DeliveryHarness.start(requestTimeoutMs: 10_000, maxConcurrentAttemptsPerEndpoint: 1, dueScanWindow: 8) { _ in
            .delayed(milliseconds: 4_000, .status(200))
        }
        _ = try await harness.endpoint("/slow")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<200 { group.addTask { try await harness.post() } }
            try await group.waitForAll()
        }
        _ = try await harness.receiver.waitForRequests(1, on: "/slow", timeoutMs: 3_000)
        let before = harness.scheduler.dueScanCount
        try await Task.sleep(for: .seconds(1))
        let scans = harness.scheduler.dueScanCount - before
        #expect(harness.receiver.requests(on: "/slow").count == 1, "the slot is still taken")
        #expect(scans >= 2, "a blocked scheduler still looks for new work now and then")
        #expect(scans <= 30, "\(scans) scans in a second while blocked: about 10 expected")
        await harness.stop()
    }

    /// A delivery taken into a slot its endpoint freed goes out while the due index holds an
    /// entry whose target cannot be read, met by every scan. (Such an entry once made every scan
    /// fail, and this test proved that a turn sends what it took before its scan failed; scans
    /// now step over it and count it, and that path has no test that can make a read fail.)
    @Test func aDeliveryTakenIntoAFreedSlotGoesOutPastADamagedDueEntry() async throws {
        let harness = try await DeliveryHarness.start(requestTimeoutMs: 5_000, maxConcurrentAttemptsPerEndpoint: 1) { received in
            // Long enough for the test to break the due index and post again meanwhile, however loaded the machine.
            received.countOnPath == 1 ? .delayed(milliseconds: 2_000, .status(200)) : .status(200)
        }
        _ = try await harness.endpoint("/one")
        try await harness.post(data: #"{"n":0}"#)
        _ = try await harness.receiver.waitForRequests(1, on: "/one")
        // From here on every scan of the due index meets an entry it cannot read.
        let due = harness.store.environment.database(ProjectionTable.due.rawValue)
        try harness.store.environment.write { transaction in
            try transaction.put([0xFF, 0xFF], forKey: ProjectionKeys.due(.live, dueAtMs: 1, deliveryId: DeliveryID(rawValue: 7)), in: due)
        }
        try await harness.post(data: #"{"n":1}"#)
        let received = try await harness.receiver.waitForRequests(2, on: "/one", timeoutMs: 5_000)
        #expect(received.count == 2, "the second delivery went out when the first freed its endpoint's slot")
        await harness.stop()
    }

    @Test func repeatedIdempotencyKeyPlansNothingNew() async throws {
        let harness = try await DeliveryHarness.start()
        _ = try await harness.endpoint("/once")
        let first = try await harness.post(idempotencyKey: "order-1042")
        let second = try await harness.post(idempotencyKey: "order-1042")
        #expect(second.isRepeat && second.eventId == first.eventId && second.deliveries == first.deliveries)
        _ = try await harness.waitForDelivery(first.deliveries[0].deliveryId)
        try await Task.sleep(for: .milliseconds(100))
        #expect(harness.receiver.requests(on: "/once").count == 1)
        await harness.stop()
    }
}

/// Numbers the requests a receiver's script sees.
private final class RequestCount: Sendable {
    private let count = Mutex(0)

    /// The number of this request, from 1.
    func next() -> Int {
        self.count.withLock { count in
            count += 1
            return count
        }
    }
}
