import Foundation
import HooklogCore
import HooklogJournal
import HooklogTestSupport
import Logging
import Synchronization
import Testing

@Suite("Replaying a window", .timeLimit(.minutes(1)))
struct ReplayWindowTests {
    /// A receiver that answers 503 while `isDown`, else 200.
    private final class Outage: Sendable {
        let isDown = Mutex(false)
        var script: TestReceiver.Script { { _ in self.isDown.withLock { $0 } ? .status(503) : .status(200) } }
    }

    @Test func replayOfAnOutageResendsExactlyTheWindowsTwentyDeliveriesOnceWithTheirEventIds() async throws {
        let outage = Outage()
        let harness = try await DeliveryHarness.start(retrySchedule: "5ms,5ms", script: outage.script)
        _ = try await harness.endpoint("/hook")
        let before = try await Self.postAndSettle(10, on: harness)

        // The outage starts before the window and ends after it: failed deliveries lie on both
        // sides, so only the window's bounds keep them out of the replay.
        outage.isDown.withLock { $0 = true }
        let downBefore = try await Self.postAndSettle(3, on: harness)
        try await Task.sleep(for: .milliseconds(5))
        let sinceMs = JournalConfiguration.wallClockMs()
        let window = try await Self.postAndSettle(20, on: harness)
        let untilMs = JournalConfiguration.wallClockMs() + 1
        try await Task.sleep(for: .milliseconds(5))
        let downAfter = try await Self.postAndSettle(3, on: harness)
        outage.isDown.withLock { $0 = false }
        let after = try await Self.postAndSettle(10, on: harness)

        #expect(before.allSatisfy { $0.state.status == .succeeded } && after.allSatisfy { $0.state.status == .succeeded })
        #expect((downBefore + downAfter).allSatisfy { $0.state.status == .failed })
        #expect(window.allSatisfy { $0.state.status == .failed && $0.state.attempts.count == 3 })
        let requestsBeforeReplay = harness.receiver.requests(on: "/hook").count

        let replay = try await harness.store.requestReplay(
            tenantId: harness.tenantId, sinceMs: sinceMs, untilMs: untilMs, statusFilter: .failed, nowMs: JournalConfiguration.wallClockMs()
        )
        #expect(replay.matched == 20)
        let requests = try await harness.receiver.waitForRequests(requestsBeforeReplay + 20, on: "/hook")
        for settled in window {
            let state = try await harness.waitForDelivery(settled.deliveryId)
            #expect(state.status == .succeeded)
            #expect(state.attempts.last?.replayId == replay.replayId && state.attempts.count == 4)
        }
        try await Task.sleep(for: .milliseconds(100))
        let resent = harness.receiver.requests(on: "/hook").dropFirst(requestsBeforeReplay)
        #expect(resent.count == 20, "nothing but the window is sent again, and each only once")
        #expect(resent.compactMap { $0.header("webhook-id") }.sorted() == window.map(\.eventId.description).sorted())
        for outside in downBefore + downAfter {
            #expect(try await harness.waitForDelivery(outside.deliveryId).status == .failed, "outside the window, not re-sent")
        }
        #expect(requests.count >= requestsBeforeReplay + 20)

        let progress = try #require(try harness.store.replay(replay.replayId))
        #expect(progress.scheduledCount == 20 && progress.succeededCount == 20 && progress.remainingCount == 0)
        // The window holds nothing failed any more: the same replay again matches nothing.
        let again = try await harness.store.requestReplay(
            tenantId: harness.tenantId, sinceMs: sinceMs, untilMs: untilMs, statusFilter: .failed, nowMs: JournalConfiguration.wallClockMs()
        )
        #expect(again.matched == 0)
        await harness.stop()
    }

    /// The 3 a.m. case: an endpoint back from an outage is sent a replay of what it missed while
    /// its live traffic goes on. A live event's delivery takes the endpoint's next free slot,
    /// ahead of the replayed deliveries due before it; the replay goes on in the slots live
    /// traffic leaves free.
    @Test func aLiveEventGoesOutAheadOfALargeReplayToTheSameEndpoint() async throws {
        let outage = Outage()
        let harness = try await DeliveryHarness.start(retrySchedule: "5ms", maxConcurrentAttemptsPerEndpoint: 2) { request in
            outage.isDown.withLock { $0 } ? .status(503) : .delayed(milliseconds: 20, .status(200))
        }
        _ = try await harness.endpoint("/hook")
        try await Self.expectALiveEventAheadOfAReplay(of: 60, on: harness, outage: outage, liveType: "call.completed")
        await harness.stop()
    }

    /// When what is full is Hooklog's overall limit, not the endpoint's, a slot a replayed
    /// attempt frees goes to another endpoint's live delivery first, not to the replay's next.
    @Test func aLiveEventToAnotherEndpointGoesOutAheadOfAReplayFillingHooklogsOverallLimit() async throws {
        let outage = Outage()
        let harness = try await DeliveryHarness.start(retrySchedule: "5ms", maxConcurrentAttempts: 2) { request in
            guard request.path == "/replayed" else { return .status(200) }
            return outage.isDown.withLock { $0 } ? .status(503) : .delayed(milliseconds: 20, .status(200))
        }
        _ = try await harness.endpoint("/replayed", events: ["call.completed"])
        _ = try await harness.endpoint("/live", events: ["call.started"])
        try await Self.expectALiveEventAheadOfAReplay(of: 40, on: harness, outage: outage, liveType: "call.started")
        await harness.stop()
    }

    /// Posts `count` `call.completed` events while `outage` lasts, which fail; ends it and replays
    /// them; once the replay's first few went out, posts a live `liveType` event. That one goes
    /// out among the requests sent or in flight when it was journaled, and the replay finishes.
    /// The harness allows two attempts at once (to the endpoint, or in all).
    private static func expectALiveEventAheadOfAReplay(of count: Int, on harness: DeliveryHarness, outage: Outage, liveType: String) async throws {
        outage.isDown.withLock { $0 = true }
        let sinceMs = JournalConfiguration.wallClockMs()
        let missed = try await Self.postAndSettle(count, on: harness)
        #expect(missed.allSatisfy { $0.state.status == .failed })
        outage.isDown.withLock { $0 = false }
        let requestsBeforeReplay = harness.receiver.requests().count

        let replay = try await harness.store.requestReplay(
            tenantId: harness.tenantId, sinceMs: sinceMs, untilMs: JournalConfiguration.wallClockMs() + 1, statusFilter: .failed,
            nowMs: JournalConfiguration.wallClockMs()
        )
        #expect(replay.matched == count)
        _ = try await harness.receiver.waitForRequests(requestsBeforeReplay + 4)
        let live = try await harness.post(liveType, data: #"{"live":true}"#)
        // Sent before it, however slow the machine: those sent by now, those in flight (two), and
        // one more that a freed slot may refill from the replay in the instant it is journaled.
        let sentBeforeAtMost = harness.receiver.requests().count - requestsBeforeReplay + 3
        #expect(try await harness.waitForDelivery(try #require(live.deliveries.first).deliveryId).status == .succeeded)

        let sent = harness.receiver.requests().dropFirst(requestsBeforeReplay).compactMap { $0.header("webhook-id") }
        let livePosition = try #require(sent.firstIndex(of: live.eventId.description)) - sent.startIndex
        #expect(livePosition <= sentBeforeAtMost, "the live event went out as request \(livePosition + 1) after the replay began, not by \(sentBeforeAtMost + 1)")
        for settled in missed {
            #expect(try await harness.waitForDelivery(settled.deliveryId).status == .succeeded, "the replay still goes on")
        }
    }

    @Test func offlineResendJournalsTheReplayAndTheNextStartSendsIt() async throws {
        let hooklog = try BuiltProducts.executable("hooklog")
        let folder = NSTemporaryDirectory() + "hooklog-resend-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let outage = Outage()
        outage.isDown.withLock { $0 = true }
        let receiver = try await TestReceiver.start(outage.script)
        // This process only sets up and reads; Hooklog itself runs as a child process, twice.
        let store = try HooklogStore(path: folder, initialMapSizeBytes: 1 << 20, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let sinceMs = JournalConfiguration.wallClockMs()
        let tenantId = try await store.createTenant(name: "Callina", apiKeyHash: .zero, defaultSigningSecret: "whsec_AAAA", nowMs: sinceMs)
        _ = try await store.createEndpoint(
            tenantId: tenantId, EndpointDraft(url: receiver.baseURL + "/hook", profile: "callina", signingSecret: "secret"), nowMs: sinceMs
        ).endpointId
        var posted: [(eventId: EventID, deliveryId: DeliveryID)] = []
        for index in 0..<5 {
            let body = Array(#"{"type":"call.completed","data":{"index":\#(index)}}"#.utf8)
            let event = try await store.ingest(EventSubmission(tenantId: tenantId, type: "call.completed", rawBody: body))
            posted.append((event.eventId, try #require(event.deliveries.first).deliveryId))
        }

        let running = try await DeliveringProcess.start(folder: folder, retrySchedule: "5ms,5ms")
        try await Self.waitUntil(store, posted.map(\.deliveryId), are: .failed)
        kill(running.processIdentifier, SIGKILL)
        running.waitUntilExit()
        outage.isDown.withLock { $0 = false }
        let failedRequestCount = receiver.requests(on: "/hook").count
        let untilMs = JournalConfiguration.wallClockMs() + 1

        // Offline, a replay is checked as the API checks it: an empty event type is refused.
        let refused = try await ChildProcess.run(hooklog, ["resend", "--data-dir", folder, "--since", "\(sinceMs)", "--until", "\(untilMs)", "--event-type", ""])
        #expect(refused.status == 1 && refused.output.contains("event_types must hold 1 to 100 non-empty types"), "\(refused.output)")
        let resend = try await ChildProcess.run(hooklog, ["resend", "--data-dir", folder, "--since", "\(sinceMs)", "--until", "\(untilMs)"])
        #expect(resend.status == 0, "\(resend.output)")
        #expect(resend.output.contains("5 deliveries will be sent again when Hooklog next starts"))
        try await Task.sleep(for: .milliseconds(50))
        #expect(receiver.requests(on: "/hook").count == failedRequestCount, "nothing is sent while Hooklog is stopped")

        let restarted = try await DeliveringProcess.start(folder: folder, retrySchedule: "5ms,5ms")
        defer { kill(restarted.processIdentifier, SIGKILL); restarted.waitUntilExit() }
        try await Self.waitUntil(store, posted.map(\.deliveryId), are: .succeeded)
        let resent = receiver.requests(on: "/hook").dropFirst(failedRequestCount)
        #expect(resent.compactMap { $0.header("X-Callina-Event-Id") }.sorted() == posted.map(\.eventId.description).sorted())
        for (_, deliveryId) in posted {
            let attempts = try #require(try store.read { try $0.projections.delivery(deliveryId) }).attempts
            #expect(attempts.last?.replayId != nil && attempts.dropLast().allSatisfy { $0.replayId == nil })
        }
        await receiver.stop()
        await store.close()
    }

    /// Waits (at most 10 s) until every delivery has `status`, as another process journals it.
    private static func waitUntil(_ store: HooklogStore, _ deliveryIds: [DeliveryID], are status: DeliveryStatus) async throws {
        let deadline = ContinuousClock.now.advanced(by: .seconds(10))
        while ContinuousClock.now < deadline {
            let done = try store.read { snapshot in try deliveryIds.allSatisfy { try snapshot.projections.delivery($0)?.status == status } }
            if done { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("the deliveries did not all become \(status.name) within 10 s")
    }

    private struct Settled {
        let eventId: EventID
        let deliveryId: DeliveryID
        let state: DeliveryState
    }

    /// A tenant's replay requests are searched one at a time, however many it sends at once:
    /// the rest wait their turn, a flood past its line is refused before any search, and
    /// another tenant's request is answered meanwhile.
    @Test func aTenantsReplaysWaitTheirTurnAndAFloodIsRefused() async throws {
        let harness = try await DeliveryHarness.start()
        _ = try await harness.endpoint("/hook")
        _ = try await Self.postAndSettle(1, on: harness)
        let nowMs = JournalConfiguration.wallClockMs()
        let criteria = ReplayCriteria(sinceMs: 0, untilMs: nowMs + 1, statusFilter: .all)
        let (released, release) = AsyncStream<Void>.makeStream()
        let holding = Mutex(false)
        let holder = Task {
            try await harness.store.replaySearches.run(for: harness.tenantId) {
                holding.withLock { $0 = true }
                for await _ in released {}
            }
        }
        while !holding.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }

        let waiting = (0..<ReplaySearchGate.defaultMaxWaitingPerTenant).map { _ in
            Task { try await harness.store.requestReplay(tenantId: harness.tenantId, criteria, nowMs: nowMs) }
        }
        let deadline = ContinuousClock.now.advanced(by: .seconds(10))
        while harness.store.replaySearches.waitingCount < waiting.count && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(harness.store.replaySearches.waitingCount == waiting.count)
        let flood = await #expect(throws: ReplayError.self) {
            try await harness.store.requestReplay(tenantId: harness.tenantId, criteria, nowMs: nowMs)
        }
        #expect(flood?.isSearchLineFull == true, "\(String(describing: flood))")

        let other = try await harness.store.createTenant(
            name: "Other", apiKeyHash: SHA256Hasher.digest(Array("other".utf8)), defaultSigningSecret: DeliveryHarness.tenantSigningSecret, nowMs: nowMs
        )
        #expect(try await harness.store.requestReplay(tenantId: other, criteria, nowMs: nowMs).matched == 0, "another tenant's turn")

        release.finish()
        try await holder.value
        // Each is answered in turn (the first re-sends the delivery; one searched while it is
        // still on its way skips it).
        var matched = 0
        for request in waiting { matched += try await request.value.matched }
        #expect(matched >= 1)
        await harness.stop()
    }

    /// Posts `count` events to the harness's one endpoint and waits until each delivery finished.
    private static func postAndSettle(_ count: Int, on harness: DeliveryHarness) async throws -> [Settled] {
        var posted: [(EventID, DeliveryID)] = []
        for _ in 0..<count {
            let event = try await harness.post()
            posted.append((event.eventId, try #require(event.deliveries.first).deliveryId))
        }
        var settled: [Settled] = []
        for (eventId, deliveryId) in posted {
            settled.append(Settled(eventId: eventId, deliveryId: deliveryId, state: try await harness.waitForDelivery(deliveryId)))
        }
        return settled
    }
}
