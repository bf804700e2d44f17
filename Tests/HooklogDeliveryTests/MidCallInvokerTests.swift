import Foundation
import HooklogCore
@testable import HooklogDelivery
import HooklogJournal
import HooklogTestSupport
import Dispatch
import Logging
import Synchronization
import Testing

@Suite("Mid-call invocation", .timeLimit(.minutes(1)))
struct MidCallInvokerTests {
    private static func invoker(
        _ harness: DeliveryHarness,
        maxRunningCalls: Int = 256,
        maxRunningCallsPerTenant: Int = 64,
        maxResponseBytes: Int = 256 << 10
    ) throws -> MidCallInvoker {
        MidCallInvoker(
            store: harness.store,
            client: harness.client,
            profiles: try WireProfileCatalog.load(folder: DeliveryHarness.configFolder + "/profiles"),
            configuration: MidCallConfiguration(
                attemptTimeoutMs: 3_000, maxResponseBytes: maxResponseBytes, allowsPrivateNetworks: true,
                maxRunningCalls: maxRunningCalls, maxRunningCallsPerTenant: maxRunningCallsPerTenant
            ),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
    }

    private static func request(_ harness: DeliveryHarness, _ path: String, budgetMs: UInt64 = 2_500) -> InvocationRequest {
        InvocationRequest(
            tenantId: harness.tenantId,
            url: harness.receiver.baseURL + path,
            secrets: SigningSecrets(current: "midcall-secret"),
            event: "order-status",
            callId: "sess_42",
            params: Array(#"{"orderId":"12345"}"#.utf8),
            metadata: Array(#"{"fromNumber":"+43660123456789","toNumber":"+43662275123"}"#.utf8),
            budgetMs: budgetMs,
            waitingMessage: "Einen Moment bitte, ich prüfe das für Sie."
        )
    }

    @Test func fastEndpointsJSONComesBackVerbatimAndTheRequestVerifies() async throws {
        let answerJSON = #"{"say":"Order ORD-12345 was shipped yesterday.","next_action":"continue","extra":[1,2.50,null]}"#
        let harness = try await DeliveryHarness.start { _ in .status(200, body: answerJSON) }
        let answer = try await Self.invoker(harness).invoke(Self.request(harness, "/lookup"))
        guard case .completed(let response, let status, _) = answer.outcome else {
            Issue.record("expected completed, got \(answer.outcome)")
            return
        }
        #expect(response == Array(answerJSON.utf8) && status == 200)
        let request = try #require(harness.receiver.requests(on: "/lookup").first)
        #expect(CallinaMidcallVerifier.verify(secret: "midcall-secret", headers: request.headers, body: request.body, nowSeconds: Int64(Date().timeIntervalSince1970)))
        let body = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        #expect(body["sessionId"] as? String == "sess_42")
        #expect(body["fromNumber"] as? String == "+43660123456789")
        #expect((body["args"] as? [String: Any])?["purpose"] as? String == "order-status")
        #expect(((body["args"] as? [String: Any])?["payload"] as? [String: Any])?["orderId"] as? String == "12345")
        #expect(body["$now"] is String)
        await harness.stop()
    }

    /// The answer goes to the caller before its result is journaled; a caller that reads it back
    /// at once must get the same answer, not `pending` from the store.
    @Test func anAnsweredInvocationReadsBackAsAnsweredBeforeItsResultIsJournaled() async throws {
        let harness = try await DeliveryHarness.start { _ in .status(200, body: #"{"say":"ok"}"#) }
        let invoker = try Self.invoker(harness)
        for _ in 0..<20 {
            let answer = try await invoker.invoke(Self.request(harness, "/lookup"))
            #expect(answer.outcome != .pending)
            #expect(try await invoker.outcome(of: answer.invocationId, waitingUpTo: .zero) == answer.outcome)
        }
        await harness.stop()
    }

    /// Until its result is journaled an invocation may not be in the store at all (its start is
    /// journaled beside the call): the invoker answers whose it is meanwhile.
    @Test func aRunningInvocationsTenantIsKnownUntilItsResultIsJournaled() async throws {
        let harness = try await DeliveryHarness.start { _ in .delayed(milliseconds: 300, .status(200, body: "{}")) }
        let invoker = try Self.invoker(harness)
        let answer = try await invoker.invoke(Self.request(harness, "/slow", budgetMs: 50))
        #expect(invoker.tenantOfRunningInvocation(answer.invocationId) == harness.tenantId)
        #expect(try await invoker.outcome(of: answer.invocationId, waitingUpTo: .seconds(5)) != .pending)
        let deadline = ContinuousClock.now.advanced(by: .seconds(5))
        while invoker.tenantOfRunningInvocation(answer.invocationId) != nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(invoker.tenantOfRunningInvocation(answer.invocationId) == nil)
        let journaled = try harness.store.read { try $0.projections.invocation(answer.invocationId) }
        #expect(journaled?.tenantId == harness.tenantId && journaled?.result != nil, "forgotten only once journaled")
        await harness.stop()
    }

    @Test func slowEndpointGetsTheWaitingMessageOnTimeAndTheLateAnswerLater() async throws {
        let harness = try await DeliveryHarness.start { _ in .delayed(milliseconds: 2_000, .status(200, body: #"{"say":"late"}"#)) }
        let invoker = try Self.invoker(harness)
        let arrivedAt = ContinuousClock.now
        let answer = try await invoker.invoke(Self.request(harness, "/slow", budgetMs: 500), arrivedAt: arrivedAt)
        let answeredAfter = arrivedAt.duration(to: .now)
        #expect(answer.outcome == .pending)
        #expect(answer.say == "Einen Moment bitte, ich prüfe das für Sie.")
        #expect(answeredAfter < .milliseconds(1_500), "answered after \(answeredAfter)")
        let late = try await invoker.outcome(of: answer.invocationId, waitingUpTo: .seconds(5))
        guard case .completed(let response, _, _) = late else {
            Issue.record("expected the late answer, got \(String(describing: late))")
            return
        }
        #expect(response == Array(#"{"say":"late"}"#.utf8))
        // Journaled: once the invoker lets go of it, a read comes from the store.
        let deadline = ContinuousClock.now.advanced(by: .seconds(5))
        while invoker.tenantOfRunningInvocation(answer.invocationId) != nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(invoker.tenantOfRunningInvocation(answer.invocationId) == nil)
        #expect(try await invoker.outcome(of: answer.invocationId, waitingUpTo: .zero) == late)
        await harness.stop()
    }

    /// The caller told `pending` will look the invocation up: by then its start is on disk, so
    /// that a crash cannot leave an id no restart knows. Here the journal is held up past the budget.
    @Test func aPendingAnswerWaitsForTheInvocationsStartToBeJournaled() async throws {
        let harness = try await DeliveryHarness.start { _ in .delayed(milliseconds: 2_000, .status(200, body: #"{"say":"late"}"#)) }
        let invoker = try Self.invoker(harness)
        let holding = Atomic(false)
        let release = DispatchSemaphore(value: 0)
        let holder = Task { try await harness.store.journal.write { _ in holding.store(true, ordering: .relaxed); release.wait() } }
        while !holding.load(ordering: .relaxed) { try await Task.sleep(for: .milliseconds(1)) }
        let releasing = Task {
            try await Task.sleep(for: .milliseconds(300))
            release.signal()
        }
        let answer = try await invoker.invoke(Self.request(harness, "/slow", budgetMs: 50))
        #expect(answer.outcome == .pending)
        let journaled = try harness.store.read { try $0.projections.invocation(answer.invocationId) }
        #expect(journaled?.tenantId == harness.tenantId, "answered pending before its start was journaled")
        try await releasing.value
        try await holder.value
        _ = try await invoker.outcome(of: answer.invocationId, waitingUpTo: .seconds(5))
        await harness.stop()
    }

    @Test func serverErrorThenSuccessCompletesAfterExactlyTwoRequests() async throws {
        let harness = try await DeliveryHarness.start { request in
            request.countOnPath == 1 ? .status(503) : .status(200, body: #"{"ok":true}"#)
        }
        let answer = try await Self.invoker(harness).invoke(Self.request(harness, "/flaky"))
        #expect(answer.outcome == .completed(response: Array(#"{"ok":true}"#.utf8), statusCode: 200, latencyMs: answerLatency(answer)))
        #expect(harness.receiver.requests(on: "/flaky").count == 2)
        await harness.stop()
    }

    @Test func clientErrorIsOneRequestAndAFailureWithTheFallback() async throws {
        let harness = try await DeliveryHarness.start { _ in .status(400, body: #"{"error":"bad purpose"}"#) }
        let answer = try await Self.invoker(harness).invoke(Self.request(harness, "/misconfigured"))
        guard case .failed(let status, _, _) = answer.outcome else {
            Issue.record("expected failed, got \(answer.outcome)")
            return
        }
        #expect(status == 400)
        #expect(answer.nextAction == "transfer" && answer.say?.isEmpty == false)
        try await Task.sleep(for: .milliseconds(100))
        #expect(harness.receiver.requests(on: "/misconfigured").count == 1)
        await harness.stop()
    }

    @Test func aStopLetsARunningCallEndAndJournalsItsLateResult() async throws {
        let harness = try await DeliveryHarness.start { _ in .delayed(milliseconds: 300, .status(200, body: #"{"say":"late"}"#)) }
        let invoker = try Self.invoker(harness)
        let answer = try await invoker.invoke(Self.request(harness, "/slow", budgetMs: 50))
        #expect(answer.outcome == .pending)
        await invoker.drain(within: .seconds(5))
        let result = try harness.store.read { try $0.projections.invocation(answer.invocationId) }?.result
        #expect(result?.statusCode == 200, "journaled before the store closes")
        await harness.stop()
    }

    @Test func aCallStillRunningAtTheStopsLimitIsCutOffJournaledAsInterruptedAndNotRetried() async throws {
        let harness = try await DeliveryHarness.start { _ in .hang }
        let invoker = try Self.invoker(harness)
        let answer = try await invoker.invoke(Self.request(harness, "/hangs", budgetMs: 50))
        #expect(answer.outcome == .pending)
        _ = try await harness.receiver.waitForRequests(1, on: "/hangs")
        await invoker.drain(within: .milliseconds(100))
        let result = try harness.store.read { try $0.projections.invocation(answer.invocationId) }?.result
        #expect(result?.errorKind == .interrupted)
        #expect(harness.receiver.requests(on: "/hangs").count == 1, "a call cut off by the stop is not tried again")
        await harness.stop()
    }

    /// One tenant's calls take at most their share of the places: past it that tenant's next
    /// invocation is refused, and another tenant's still runs.
    @Test func pastItsShareOfRunningCallsATenantIsRefusedAndAnotherIsNot() async throws {
        let harness = try await DeliveryHarness.start { request in
            request.path == "/slow" ? .delayed(milliseconds: 600, .status(200, body: "{}")) : .status(200, body: "{}")
        }
        let invoker = try Self.invoker(harness, maxRunningCalls: 4, maxRunningCallsPerTenant: 1)
        let running = try await invoker.invoke(Self.request(harness, "/slow", budgetMs: 50))
        #expect(running.outcome == .pending)
        await #expect(throws: MidCallInvoker.Refusal.tooManyRunningCallsOfTenant(limit: 1)) {
            try await invoker.invoke(Self.request(harness, "/fast"))
        }
        let other = try await harness.store.createTenant(
            name: "Other", apiKeyHash: SHA256Hasher.digest(Array("other".utf8)), defaultSigningSecret: DeliveryHarness.tenantSigningSecret, nowMs: JournalConfiguration.wallClockMs()
        )
        var othersRequest = Self.request(harness, "/fast")
        othersRequest.tenantId = other
        let othersAnswer = try await invoker.invoke(othersRequest)
        #expect(othersAnswer.outcome != .pending, "\(othersAnswer.outcome)")
        #expect(harness.receiver.requests(on: "/fast").count == 1)
        #expect(try await invoker.outcome(of: running.invocationId, waitingUpTo: .seconds(5)) != .pending)
        var taken: InvocationAnswer?
        for _ in 0..<100 where taken == nil {
            taken = try? await invoker.invoke(Self.request(harness, "/fast"))
            if taken == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(taken != nil, "the tenant's place is free once its call ended")
        await invoker.drain(within: .seconds(1))
        await harness.stop()
    }

    /// A call outlives a short budget; while `maxRunningCalls` run, new invocations are refused
    /// before anything is journaled or sent, and taken again once a call has ended.
    @Test func pastItsRunningCallsLimitAnInvocationIsRefusedUntilOneEnds() async throws {
        let harness = try await DeliveryHarness.start { request in
            request.path == "/slow" ? .delayed(milliseconds: 600, .status(200, body: "{}")) : .status(200, body: "{}")
        }
        let invoker = try Self.invoker(harness, maxRunningCalls: 1)
        let running = try await invoker.invoke(Self.request(harness, "/slow", budgetMs: 50))
        #expect(running.outcome == .pending)
        await #expect(throws: MidCallInvoker.Refusal.tooManyRunningCalls(limit: 1)) {
            try await invoker.invoke(Self.request(harness, "/fast"))
        }
        #expect(harness.receiver.requests(on: "/fast").isEmpty)
        #expect(try await invoker.outcome(of: running.invocationId, waitingUpTo: .seconds(5)) != .pending)
        // Taken again once the ended call is off the books (its finish journaled).
        var taken: InvocationAnswer?
        for _ in 0..<100 where taken == nil {
            taken = try? await invoker.invoke(Self.request(harness, "/fast"))
            if taken == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(taken != nil && taken?.outcome != .pending)
        await invoker.drain(within: .seconds(1))
        await harness.stop()
    }

    @Test func invocationsAStopOrCrashLeftUnfinishedAreFinishedAsInterrupted() async throws {
        let harness = try await DeliveryHarness.start()
        var random = SeededGenerator(seed: 4)
        let invocationId = InvocationID.generate(timeMs: JournalConfiguration.wallClockMs(), using: &random)
        try await harness.store.append([.invocationStarted(InvocationStarted(
            invocationId: invocationId, tenantId: harness.tenantId, endpointId: nil, url: harness.receiver.baseURL + "/gone",
            callId: nil, requestBody: [], budgetMs: 2_500, startedAtMs: JournalConfiguration.wallClockMs()
        ))])
        let invoker = try Self.invoker(harness)
        #expect(try await invoker.outcome(of: invocationId, waitingUpTo: .zero) == .pending)
        #expect(try await harness.store.recoverInterruptedInvocations(nowMs: JournalConfiguration.wallClockMs()) == 1)
        guard case .failed(_, let errorKind, _)? = try await invoker.outcome(of: invocationId, waitingUpTo: .zero) else {
            Issue.record("the unfinished invocation still reads as running")
            return
        }
        #expect(errorKind == .interrupted)
        #expect(try await harness.store.recoverInterruptedInvocations(nowMs: JournalConfiguration.wallClockMs()) == 0)

        // One that this process runs is not taken for dead.
        let running = InvocationID.generate(timeMs: JournalConfiguration.wallClockMs(), using: &random)
        try await harness.store.append([.invocationStarted(InvocationStarted(
            invocationId: running, tenantId: harness.tenantId, endpointId: nil, url: harness.receiver.baseURL + "/slow",
            callId: nil, requestBody: [], budgetMs: 2_500, startedAtMs: JournalConfiguration.wallClockMs()
        ))])
        #expect(try await harness.store.recoverInterruptedInvocations(nowMs: JournalConfiguration.wallClockMs()) { $0 == running } == 0)
        #expect(try harness.store.read { try $0.projections.invocation(running) }?.result == nil)
        await harness.stop()
    }

    /// Invocations arriving together never pass the limit: its check and the place it gives are
    /// one step. A request refused for its profile gives its place back.
    @Test func invocationsArrivingTogetherStartNoMoreCallsThanTheLimit() async throws {
        let harness = try await DeliveryHarness.start { _ in .delayed(milliseconds: 800, .status(200, body: "{}")) }
        let invoker = try Self.invoker(harness, maxRunningCalls: 3)
        let unsigned = InvocationRequest(tenantId: harness.tenantId, url: harness.receiver.baseURL + "/x", profile: "standard", event: "order-status")
        for _ in 0..<5 {
            await #expect(throws: MidCallInvoker.Refusal.self) { try await invoker.invoke(unsigned) }
        }
        let taken = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<40 {
                group.addTask { (try? await invoker.invoke(Self.request(harness, "/slow/\(index)", budgetMs: 20))) != nil }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(taken == 3, "the refused renders gave their places back, and no more than three calls started")
        _ = try await harness.receiver.waitForRequests(3)
        #expect(harness.receiver.requests().count == 3)
        await invoker.drain(within: .seconds(3))
        await harness.stop()
    }

    /// A mid-call 2xx whose body stalls after its status is a timeout (half a JSON answer is no
    /// answer), and is tried again; a 4xx whose body stalls stays the 4xx.
    @Test func anAnswerWhoseBodyStallsIsATimeoutAndIsTriedAgain() async throws {
        let harness = try await DeliveryHarness.start { request in
            .stallAfterHead(request.path == "/refuses" ? 404 : 200, bodyStart: #"{"say":"#)
        }
        let invoker = MidCallInvoker(
            store: harness.store,
            client: harness.client,
            profiles: try WireProfileCatalog.load(folder: DeliveryHarness.configFolder + "/profiles"),
            configuration: MidCallConfiguration(attemptTimeoutMs: 1_000, allowsPrivateNetworks: true),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        // Two tries of a second each, and the backoff between, within the budget.
        let answer = try await invoker.invoke(Self.request(harness, "/stalls", budgetMs: 5_000))
        guard case .failed(200?, .timeout?, _) = answer.outcome else {
            Issue.record("expected failed by a timeout, got \(answer.outcome)")
            return
        }
        #expect(harness.receiver.requests(on: "/stalls").count == 2)
        // A 4xx is never tried again, however its body ended.
        let refused = try await invoker.invoke(Self.request(harness, "/refuses"))
        guard case .failed(404?, nil, _) = refused.outcome else {
            Issue.record("expected failed with the 404, got \(refused.outcome)")
            return
        }
        #expect(harness.receiver.requests(on: "/refuses").count == 1)
        await invoker.drain(within: .seconds(3))
        await harness.stop()
    }

    /// An answer that fits is passed back whole; one a byte larger fails the call (it would be
    /// passed on cut, as if whole), and reads back failed once journaled.
    @Test func anAnswerLargerThanTheLimitFailsTheCallInsteadOfComingBackCut() async throws {
        let fits = "\"" + String(repeating: "a", count: 1_022) + "\""  // 1,024 bytes
        let harness = try await DeliveryHarness.start { request in
            .status(200, body: request.path == "/fits" ? fits : fits + " ")
        }
        let invoker = try Self.invoker(harness, maxResponseBytes: 1_024)
        let whole = try await invoker.invoke(Self.request(harness, "/fits"))
        guard case .completed(let response, 200, _) = whole.outcome else {
            Issue.record("expected completed, got \(whole.outcome)")
            return
        }
        #expect(response == Array(fits.utf8))
        let tooLarge = try await invoker.invoke(Self.request(harness, "/too-large"))
        guard case .failed(200?, .other?, _) = tooLarge.outcome else {
            Issue.record("expected failed, got \(tooLarge.outcome)")
            return
        }
        #expect(tooLarge.say != nil, "the caller is told the fallback")
        #expect(harness.receiver.requests(on: "/too-large").count == 1, "a 200 is not tried again")
        await invoker.drain(within: .seconds(3))
        let readBack = try await invoker.outcome(of: tooLarge.invocationId, waitingUpTo: .seconds(1))
        #expect(readBack == tooLarge.outcome)
        await harness.stop()
    }

    /// A request its profile cannot render (one that signs, without a secret) is refused before
    /// anything is journaled or sent, and no id is handed out.
    @Test func aRequestItsProfileCannotRenderIsRefusedAndNothingIsJournaled() async throws {
        let harness = try await DeliveryHarness.start { _ in .status(200, body: "{}") }
        let invoker = try Self.invoker(harness)
        let head = try LogReader(environment: harness.store.environment).head()
        let unsigned = InvocationRequest(tenantId: harness.tenantId, url: harness.receiver.baseURL + "/x", profile: "standard", event: "order-status")
        await #expect(throws: MidCallInvoker.Refusal.self) { try await invoker.invoke(unsigned) }
        try await Task.sleep(for: .milliseconds(100))  // a start journaled beside the call would be in by now
        #expect(try LogReader(environment: harness.store.environment).head() == head)
        #expect(harness.receiver.requests().isEmpty)
        await harness.stop()
    }

    /// A 5xx on every try fails after exactly one more try, a moment later; the latency is the
    /// whole call's.
    @Test func aServerErrorOnEveryTryFailsAfterOneRetryAfterABackoff() async throws {
        let harness = try await DeliveryHarness.start { _ in .status(503) }
        let answer = try await Self.invoker(harness).invoke(Self.request(harness, "/down"))
        guard case .failed(let statusCode, _, let latencyMs) = answer.outcome else {
            Issue.record("expected failed, got \(answer.outcome)")
            return
        }
        #expect(statusCode == 503)
        #expect(harness.receiver.requests(on: "/down").count == 2)
        #expect(latencyMs >= 80, "the retry waited \(MidCallInvoker.retryBackoffMs[0]) ms ± 20 %, counted in the latency")
        await harness.stop()
    }

    /// The service's own start: invocations a crash left unfinished are finished as interrupted,
    /// and one this process is running is left to finish.
    @Test func atStartTheServiceFinishesOnlyTheInvocationsNoLongerRunning() async throws {
        let harness = try await DeliveryHarness.start { _ in .delayed(milliseconds: 500, .status(200, body: "{}")) }
        let invoker = try Self.invoker(harness)
        var random = IdentifierRandom()
        let crashed = InvocationID.generate(timeMs: JournalConfiguration.wallClockMs(), using: &random)
        try await harness.store.append([.invocationStarted(InvocationStarted(
            invocationId: crashed, tenantId: harness.tenantId, endpointId: nil, url: harness.receiver.baseURL + "/gone",
            callId: nil, requestBody: [], budgetMs: 2_500, startedAtMs: JournalConfiguration.wallClockMs()
        ))])
        let running = try await invoker.invoke(Self.request(harness, "/slow", budgetMs: 50))
        // Its start is journaled beside the call: wait for it, so that the start's recovery sees it.
        let deadline = ContinuousClock.now.advanced(by: .seconds(5))
        while try harness.store.read({ try $0.projections.invocation(running.invocationId) }) == nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        let service = Task { try await invoker.run() }
        while try harness.store.read({ try $0.projections.invocation(crashed) })?.result == nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        guard case .failed(_, .interrupted?, _)? = try await invoker.outcome(of: crashed, waitingUpTo: .zero) else {
            Issue.record("the crashed invocation was not finished as interrupted")
            return
        }
        let finished = try await invoker.outcome(of: running.invocationId, waitingUpTo: .seconds(5))
        guard case .completed? = finished else {
            Issue.record("the running invocation was taken for dead: \(String(describing: finished))")
            return
        }
        service.cancel()
        _ = await service.result
        await harness.stop()
    }

    @Test func aPollerThatGivesUpLeavesNoWaiterBehind() async throws {
        let harness = try await DeliveryHarness.start { _ in .delayed(milliseconds: 5_000, .status(200)) }
        let invoker = try Self.invoker(harness)
        let answer = try await invoker.invoke(Self.request(harness, "/slow", budgetMs: 50))
        for _ in 0..<20 {
            #expect(try await invoker.outcome(of: answer.invocationId, waitingUpTo: .milliseconds(5)) == .pending)
        }
        #expect(invoker.waiterCount(for: answer.invocationId) == 0)
        await invoker.drain(within: .milliseconds(100))
        await harness.stop()
    }

    @Test func aCallStartedAfterTheCutOffIsCutOffToo() async {
        let calls = RunningCalls()
        calls.cancelAll()
        let startedAt = ContinuousClock.now
        #expect(calls.reserve(for: TenantID(rawValue: 1), upTo: 1, tenantLimit: 1) == .taken)
        calls.start(for: TenantID(rawValue: 1)) { try? await Task.sleep(for: .seconds(10)) }
        await calls.waitUntilNoneRuns()
        #expect(startedAt.duration(to: .now) < .seconds(2), "the late call was cut off at once")
    }

    private func answerLatency(_ answer: InvocationAnswer) -> UInt64 {
        if case .completed(_, _, let latencyMs) = answer.outcome { return latencyMs }
        return 0
    }
}
