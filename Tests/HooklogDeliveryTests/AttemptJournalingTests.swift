import Foundation
import HooklogCore
import HooklogDelivery
@testable import HooklogJournal
import HooklogTestSupport
import Logging
import Synchronization
import Testing

/// The start and the end of an attempt as the journal takes them, without a scheduler: a claim
/// made from an old snapshot, and an end the journal refuses for a while.
@Suite("Attempts in the journal")
struct AttemptJournalingTests {
    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test func aClaimFromAnOlderSnapshotDoesNotStartARetryBeforeItIsDue() async throws {
        try await withStore { store, tenantId in
            let endpointId = try await store.createEndpoint(
                tenantId: tenantId, EndpointDraft(url: "https://receiver.example/hook", signingSecret: "whsec_AAAA"), nowMs: 1_000
            ).endpointId
            let deliveryId = try #require(try await store.ingest(Self.event(of: tenantId)).deliveries.first?.deliveryId)
            #expect(try store.read { try $0.projections.delivery(deliveryId) }?.target.endpointId == endpointId)
            let first = try #require(try await store.startAttempts([deliveryId], nowMs: 1_000).first)
            let conclusion = try await store.finishAttempt(
                first,
                response: AttemptResponse(statusCode: 503, errorKind: nil, errorMessage: nil, latencyMs: 3, responseExcerpt: []),
                retries4xx: true,
                rules: DeliveryRules(retry: RetryPolicy(schedule: RetrySchedule(delaysMs: [5_000]), jitterFraction: 0)),
                nowMs: 1_010
            )
            #expect(conclusion == .retryScheduled(dueAtMs: 6_010))

            // The scheduler saw the delivery due before that attempt, and claims it again now.
            #expect(try await store.startAttempts([deliveryId], nowMs: 1_020).isEmpty)
            let waiting = try #require(try store.read { try $0.projections.delivery(deliveryId) })
            #expect(waiting.status == .retrying && waiting.nextAttemptAtMs == 6_010 && waiting.attempts.count == 1)
            #expect(try store.nextDueAtMs() == 6_010)

            let second = try #require(try await store.startAttempts([deliveryId], nowMs: 6_010).first)
            #expect(second.attemptNumber == 2)
        }
    }

    @Test func aReopenedDeliveryWalksTheWholeScheduleAgainAndAStopCostsItNoRetry() async throws {
        try await withStore { store, tenantId in
            _ = try await store.createEndpoint(
                tenantId: tenantId, EndpointDraft(url: "https://receiver.example/hook", signingSecret: "whsec_AAAA"), nowMs: 1_000
            ).endpointId
            let deliveryId = try #require(try await store.ingest(Self.event(of: tenantId)).deliveries.first?.deliveryId)
            let rules = DeliveryRules(retry: RetryPolicy(schedule: RetrySchedule(delaysMs: [100, 200]), jitterFraction: 0))
            func fail(at nowMs: UInt64) async throws -> AttemptConclusion {
                let job = try #require(try await store.startAttempts([deliveryId], nowMs: nowMs).first)
                let unavailable = AttemptResponse(statusCode: 503, errorKind: nil, errorMessage: nil, latencyMs: 1, responseExcerpt: [])
                return try await store.finishAttempt(job, response: unavailable, retries4xx: true, rules: rules, nowMs: nowMs)
            }
            #expect(try await fail(at: 1_000) == .retryScheduled(dueAtMs: 1_100))
            #expect(try await fail(at: 1_100) == .retryScheduled(dueAtMs: 1_300))
            #expect(try await fail(at: 1_300) == .failed(.retriesExhausted))

            // Retried by hand: a new run, with the whole schedule, not one last try.
            guard case .scheduled = try await store.retryDelivery(deliveryId, tenantId: tenantId, nowMs: 1_400) else {
                Issue.record("the failed delivery was not reopened")
                return
            }
            #expect(try await fail(at: 1_400) == .retryScheduled(dueAtMs: 1_500))
            // A stop cuts the next attempt off; it is resent at once and costs the run nothing.
            _ = try #require(try await store.startAttempts([deliveryId], nowMs: 1_500).first)
            #expect(try await store.recoverInterruptedAttempts(nowMs: 1_550).recoveredCount == 1)
            #expect(try await fail(at: 1_550) == .retryScheduled(dueAtMs: 1_750))
            #expect(try await fail(at: 1_750) == .failed(.retriesExhausted))
            let delivery = try #require(try store.read { try $0.projections.delivery(deliveryId) })
            #expect(delivery.attempts.count == 7 && delivery.reopenedAfterAttemptCount == 3 && delivery.attemptsInCurrentRun == 3)
        }
    }

    /// Hooklog stopped for days while a retry was due: the retry that goes out at start finds its
    /// endpoint's run of failures long over (nobody saw it fail meanwhile), so one more failure
    /// starts a new run instead of disabling the endpoint and cancelling its deliveries.
    @Test func aRetryAfterDaysWithoutAttemptsStartsANewRunOfFailures() async throws {
        try await withStore { store, tenantId in
            let endpointId = try await store.createEndpoint(
                tenantId: tenantId, EndpointDraft(url: "https://receiver.example/hook", signingSecret: "whsec_AAAA"), nowMs: 1_000
            ).endpointId
            let deliveryId = try #require(try await store.ingest(Self.event(of: tenantId)).deliveries.first?.deliveryId)
            let hourMs: UInt64 = 3_600_000
            let rules = DeliveryRules(
                retry: RetryPolicy(schedule: RetrySchedule(delaysMs: Array(repeating: Int64(20 * hourMs), count: 3)), jitterFraction: 0),
                health: EndpointHealthPolicy(failingForMs: Int64(48 * hourMs))
            )
            func fail(at nowMs: UInt64) async throws -> AttemptConclusion {
                let job = try #require(try await store.startAttempts([deliveryId], nowMs: nowMs).first)
                let unavailable = AttemptResponse(statusCode: 503, errorKind: nil, errorMessage: nil, latencyMs: 1, responseExcerpt: [])
                return try await store.finishAttempt(job, response: unavailable, retries4xx: true, rules: rules, nowMs: nowMs)
            }
            #expect(try await fail(at: 1_000) == .retryScheduled(dueAtMs: 1_000 + 20 * hourMs))
            #expect(try await fail(at: 1_000 + 20 * hourMs) == .retryScheduled(dueAtMs: 1_000 + 40 * hourMs))
            let restartedAtMs = 1_000 + 6 * 24 * hourMs
            #expect(try await fail(at: restartedAtMs) == .retryScheduled(dueAtMs: restartedAtMs + 20 * hourMs))
            let endpoint = try #require(try store.read { try $0.projections.endpoint(endpointId) })
            #expect(endpoint.status == .enabled && endpoint.failingSinceMs == restartedAtMs)
        }
    }

    @Test func anAttemptCutOffByAStopIsDueAgainAtOnceWithoutUsingARetry() async throws {
        try await withStore { store, tenantId in
            let endpointId = try await store.createEndpoint(
                tenantId: tenantId, EndpointDraft(url: "https://receiver.example/hook", signingSecret: "whsec_AAAA"), nowMs: 1_000
            ).endpointId
            let deliveryId = try #require(try await store.ingest(Self.event(of: tenantId)).deliveries.first?.deliveryId)
            let rules = DeliveryRules(retry: RetryPolicy(schedule: RetrySchedule(delaysMs: [100]), jitterFraction: 0))
            func finish(at nowMs: UInt64, _ response: AttemptResponse) async throws -> AttemptConclusion {
                let job = try #require(try await store.startAttempts([deliveryId], nowMs: nowMs).first)
                return try await store.finishAttempt(job, response: response, retries4xx: true, rules: rules, nowMs: nowMs)
            }
            let unavailable = AttemptResponse(statusCode: 503, errorKind: nil, errorMessage: nil, latencyMs: 1, responseExcerpt: [])
            #expect(try await finish(at: 1_000, unavailable) == .retryScheduled(dueAtMs: 1_100))
            // The only retry the schedule has: a stop cuts it off, and it is due again at once.
            #expect(try await finish(at: 1_100, .failed(.interrupted, "cut off: Hooklog was stopping", latencyMs: 5)) == .retryScheduled(dueAtMs: 1_100))
            #expect(try store.read { try $0.projections.endpoint(endpointId) }?.failingSinceMs == 1_000, "the stop started no failing streak of its own")
            #expect(try await finish(at: 1_100, unavailable) == .failed(.retriesExhausted))
        }
    }

    /// Held back again and again (a resolver busy for long), a delivery waits twice as long each
    /// time, up to five minutes, and still uses no retry; an attempt that gets an answer ends the run.
    @Test func aDeliveryHeldBackInARowWaitsLongerEachTime() async throws {
        try await withStore { store, tenantId in
            _ = try await store.createEndpoint(
                tenantId: tenantId, EndpointDraft(url: "https://receiver.example/hook", signingSecret: "whsec_AAAA"), nowMs: 1_000
            )
            let deliveryId = try #require(try await store.ingest(Self.event(of: tenantId)).deliveries.first?.deliveryId)
            let rules = DeliveryRules(retry: RetryPolicy(schedule: RetrySchedule(delaysMs: [100]), jitterFraction: 0))
            func finish(at nowMs: UInt64, _ response: AttemptResponse) async throws -> AttemptConclusion {
                let job = try #require(try await store.startAttempts([deliveryId], nowMs: nowMs).first)
                return try await store.finishAttempt(job, response: response, retries4xx: true, rules: rules, nowMs: nowMs)
            }
            let heldBack = AttemptResponse.heldBack("not sent: resolver busy", forMs: 5_000)
            var nowMs: UInt64 = 1_000
            var waitsMs: [UInt64] = []
            for _ in 0..<8 {
                guard case .retryScheduled(let dueAtMs) = try await finish(at: nowMs, heldBack) else {
                    Issue.record("a held-back attempt was not rescheduled")
                    return
                }
                waitsMs.append(dueAtMs - nowMs)
                nowMs = dueAtMs
            }
            #expect(waitsMs == [5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000], "\(waitsMs)")
            // An answer (here a 503) uses the schedule's retry as ever; held back after it, the wait starts over.
            let unavailable = AttemptResponse(statusCode: 503, errorKind: nil, errorMessage: nil, latencyMs: 1, responseExcerpt: [])
            #expect(try await finish(at: nowMs, unavailable) == .retryScheduled(dueAtMs: nowMs + 100))
            #expect(try await finish(at: nowMs + 100, heldBack) == .retryScheduled(dueAtMs: nowMs + 100 + 5_000))
        }
    }

    @Test func anAttemptsEndTheJournalRefusesIsOfferedAgainUntilItLands() async throws {
        try await withStartedAttempt { store, job, receiver, client in
            let journal = RefusingJournal(store: store, refusals: 3, error: LMDBError(code: ENOSPC, operation: "mdb_txn_commit"))
            let conclusion = try await Self.dispatcher(journal: journal, client: client).dispatch(job)

            #expect(conclusion == .succeeded)
            #expect(journal.offers == 4, "three refusals, then the end landed")
            #expect(try store.read { try $0.projections.delivery(job.deliveryId) }?.status == .succeeded)
            #expect(receiver.requests(on: "/hook").count == 1, "the attempt was sent once; only its end was offered again")
        }
    }

    @Test(arguments: [JournalError.closed as any Error & Sendable, ReducerError.invalidTransition as any Error & Sendable])
    func anAttemptsEndIsNotOfferedAgainOnceTheJournalHasClosedOrJudgedIt(refusal: any Error & Sendable) async throws {
        try await withStartedAttempt { store, job, _, client in
            let journal = RefusingJournal(store: store, refusals: .max, error: refusal)
            let conclusion = try await Self.dispatcher(journal: journal, client: client).dispatch(job)

            #expect(conclusion == nil)
            #expect(journal.offers == 1)
            #expect(try store.read { try $0.projections.delivery(job.deliveryId) }?.status == .inFlight, "left for the next start to resend")
        }
    }

    /// An attempt started (journaled) and not yet sent, to an endpoint at a receiver that answers 200.
    private func withStartedAttempt(_ body: (HooklogStore, AttemptJob, TestReceiver, WebhookHTTPClient) async throws -> Void) async throws {
        try await withStore { store, tenantId in
            let receiver = try await TestReceiver.start { _ in .status(200) }
            let client = WebhookHTTPClient()
            _ = try await store.createEndpoint(
                tenantId: tenantId, EndpointDraft(url: receiver.baseURL + "/hook", signingSecret: "whsec_" + Base64.encode(Array(repeating: 3, count: 32))),
                nowMs: JournalConfiguration.wallClockMs()
            ).endpointId
            let deliveryId = try #require(try await store.ingest(Self.event(of: tenantId)).deliveries.first?.deliveryId)
            let job = try #require(try await store.startAttempts([deliveryId], nowMs: JournalConfiguration.wallClockMs()).first)
            try await body(store, job, receiver, client)
            try await client.shutdown()
            await receiver.stop()
        }
    }

    private static func event(of tenantId: TenantID) -> EventSubmission {
        EventSubmission(tenantId: tenantId, type: "call.completed", rawBody: Array(#"{"type":"call.completed","data":{}}"#.utf8))
    }

    private static func dispatcher(journal: some AttemptEndJournal, client: WebhookHTTPClient) throws -> AttemptDispatcher {
        AttemptDispatcher(
            store: journal,
            client: client,
            profiles: try WireProfileCatalog.load(folder: DeliveryHarness.configFolder + "/profiles"),
            configuration: DispatchConfiguration(requestTimeoutMs: 2_000, allowsPrivateNetworks: true),
            logger: Self.logger
        )
    }

    private func withStore(_ body: (HooklogStore, TenantID) async throws -> Void) async throws {
        let folder = NSTemporaryDirectory() + "hooklog-attempts-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Batches are appended at 1,000 ms, so that commands given later times see them as past.
        var configuration = JournalConfiguration()
        configuration.clock = { 1_000 }
        let store = try HooklogStore(path: folder, initialMapSizeBytes: 1 << 20, configuration: configuration, logger: Self.logger)
        let tenantId = try await store.createTenant(
            name: "Callina GmbH", apiKeyHash: SHA256Hasher.digest(Array("key".utf8)), defaultSigningSecret: "whsec_AAAA", nowMs: 1_000
        )
        do {
            try await body(store, tenantId)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }
}

/// The store, refusing the first `refusals` attempt ends offered to it with `error`.
private final class RefusingJournal: AttemptEndJournal {
    private let store: HooklogStore
    private let refusals: Int
    private let error: any Error & Sendable
    private let offerCount = Atomic<Int>(0)

    init(store: HooklogStore, refusals: Int, error: any Error & Sendable) {
        self.store = store
        self.refusals = refusals
        self.error = error
    }

    /// How many ends were offered.
    var offers: Int { self.offerCount.load(ordering: .relaxed) }

    func finishAttempt(
        _ job: AttemptJob,
        response: AttemptResponse,
        retries4xx: Bool,
        rules: DeliveryRules,
        nowMs: UInt64
    ) async throws -> AttemptConclusion {
        let offer = self.offerCount.add(1, ordering: .relaxed).newValue
        if offer <= self.refusals { throw self.error }
        return try await self.store.finishAttempt(job, response: response, retries4xx: retries4xx, rules: rules, nowMs: nowMs)
    }
}
