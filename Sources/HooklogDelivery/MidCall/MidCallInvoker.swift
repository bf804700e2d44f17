public import HooklogCore
public import HooklogJournal
public import Logging
public import ServiceLifecycle
import Synchronization


/// Calls an endpoint synchronously while a caller is on the line, within a time budget.
///
/// The answer goes back the moment it arrives; past the budget the caller gets `pending` (with
/// the waiting message) on time, however slow the endpoint, and the call goes on. A 5xx, timeout
/// or connection error is tried again (`retryCount`), a 4xx is not. Start and end are journaled
/// (`InvocationStarted` / `InvocationFinished`), but never between the endpoint's answer and
/// the caller. Connections stay warm in this invoker's own client.
///
/// As a service, it first finishes as `interrupted` the invocations a crash or a stop left
/// unfinished, and when the service stops it lets the calls still running finish and be
/// journaled (cutting them off, as `interrupted`, past `drainLimit(for:)`) before its client and the
/// store close.
public final class MidCallInvoker: Service, Sendable {
    private let store: HooklogStore
    private let client: WebhookHTTPClient
    private let profiles: WireProfileCatalog
    private let configuration: MidCallConfiguration
    private let clock: @Sendable () -> UInt64
    /// What the request carries (its times and signature): receivers compare with their own clocks.
    private let wallClock: @Sendable () -> UInt64
    private let logger: Logger
    private let waiters = InvocationWaiters()
    private let running = RunningCalls()

    /// An invoker journaling into `store` and sending through `client`.
    public init(
        store: HooklogStore,
        client: WebhookHTTPClient,
        profiles: WireProfileCatalog,
        configuration: MidCallConfiguration = MidCallConfiguration(),
        clock: @escaping @Sendable () -> UInt64 = JournalConfiguration.wallClockMs,
        wallClock: @escaping @Sendable () -> UInt64 = JournalConfiguration.wallClockMs,
        logger: Logger
    ) {
        self.store = store
        self.client = client
        self.profiles = profiles
        self.configuration = configuration
        self.clock = clock
        self.wallClock = wallClock
        self.logger = logger
    }

    /// Why an invocation was refused before anything was journaled or sent.
    public enum Refusal: Error, Sendable, Equatable {
        /// `limit` (`MidCallConfiguration.maxRunningCalls`) calls are running.
        case tooManyRunningCalls(limit: Int)
        /// `limit` (`MidCallConfiguration.maxRunningCallsPerTenant`) of the tenant's calls are running.
        case tooManyRunningCallsOfTenant(limit: Int)
        /// The request cannot be sent under its profile (one that signs, without a secret, say).
        case cannotRender(String)
    }

    /// The first waits before the tries after the first (5xx, timeout, connection error), each
    /// with ±20 % jitter: a struggling endpoint gets a moment rather than the same request again at once.
    static let retryBackoffMs: [UInt64] = [100, 200, 400, 800, 1_600]
    /// How long a `pending` answer waits past the budget for the invocation's start to be journaled.
    public static let longestStartWaitBeforePending: Duration = .seconds(1)

    /// Invokes the endpoint; answers by `arrivedAt + budgetMs`, or, `pending`, once the start is
    /// journaled (`longestStartWaitBeforePending` later at the latest). Refused while
    /// `maxRunningCalls` calls run, and when the request cannot be rendered under its profile:
    /// nothing is journaled, and no id handed out.
    public func invoke(_ request: InvocationRequest, arrivedAt: ContinuousClock.Instant = .now) async throws(Refusal) -> InvocationAnswer {
        switch self.running.reserve(for: request.tenantId, upTo: self.configuration.maxRunningCalls, tenantLimit: self.configuration.maxRunningCallsPerTenant) {
        case .taken: break
        case .allPlacesTaken: throw .tooManyRunningCalls(limit: self.configuration.maxRunningCalls)
        case .tenantsPlacesTaken: throw .tooManyRunningCallsOfTenant(limit: self.configuration.maxRunningCallsPerTenant)
        }
        var random = IdentifierRandom()
        let nowMs = self.clock()
        let wallMs = self.wallClock()
        let invocationId = InvocationID.generate(timeMs: nowMs, using: &random)
        let rendered: RenderedRequest
        do {
            guard let profile = self.profiles[request.profile] else {
                throw WireProfileCatalog.CatalogError(description: "no profile \(request.profile) is loaded")
            }
            rendered = try profile.render(
                OutgoingEvent(
                    eventId: invocationId.description,
                    deliveryId: invocationId.description,
                    type: request.event,
                    occurredAtMs: Int64(wallMs),
                    receivedAtMs: Int64(wallMs),
                    callId: request.callId,
                    data: request.params,
                    metadata: request.metadata
                ),
                secrets: request.secrets,
                bearerToken: request.bearerToken,
                sentAtMs: Int64(clamping: wallMs)
            )
        } catch {
            self.running.release(for: request.tenantId)
            throw .cannotRender("\(error)")
        }
        self.waiters.open(invocationId, of: request.tenantId, waitingMessage: request.waitingMessage)
        let logger = self.logger(of: invocationId)
        let started = InvocationStarted(
            invocationId: invocationId,
            tenantId: request.tenantId,
            endpointId: request.endpointId,
            url: request.url,
            callId: request.callId,
            requestBody: rendered.body,
            budgetMs: request.budgetMs,
            startedAtMs: nowMs
        )
        let journaledStart = Task { await self.journal(.invocationStarted(started), "invocation start", logger: logger) }
        let call = Task { await self.call(request.url, rendered, for: request.tenantId) }
        self.running.start(for: request.tenantId) {
            // Cut off at a stop: the call, and the start's journaling if the journal holds it up.
            let response = await withTaskCancellationHandler { await call.value } onCancel: {
                call.cancel()
                journaledStart.cancel()
            }
            await self.journalFinish(invocationId, response, after: journaledStart, logger: logger)
        }
        guard let response = await Self.firstOf(call, orDeadline: arrivedAt.advanced(by: .milliseconds(Int64(request.budgetMs)))) else {
            // The caller is told to look the invocation up: its start goes to disk first, or a
            // crash now would leave an id no restart knows (404, not `interrupted`). Waited for
            // a while only: a stalled journal must not hold the call's caller without end.
            _ = await Self.firstOf(journaledStart, orDeadline: .now.advanced(by: Self.longestStartWaitBeforePending))
            return InvocationAnswer(invocationId: invocationId, outcome: .pending, say: request.waitingMessage, nextAction: nil)
        }
        let outcome = Self.outcome(of: response)
        // Settled before the caller hears it, so the caller reading it back never sees `pending`.
        self.waiters.settle(invocationId, outcome)
        if case .failed = outcome { return self.failedAnswer(invocationId, outcome) }
        return InvocationAnswer(invocationId: invocationId, outcome: outcome, say: nil, nextAction: nil)
    }

    /// Finishes the invocations left unfinished as `interrupted`, then waits for the stop and
    /// lets the calls still running end (see the type's notes).
    public func run() async throws {
        let waiters = self.waiters
        let recovered = try await self.store.recoverInterruptedInvocations(nowMs: self.clock()) { waiters.isOpen($0) }
        if recovered > 0 {
            self.logger.info("invocations the last stop or crash cut off are finished as interrupted", metadata: ["count": "\(recovered)"])
        }
        try? await gracefulShutdown()
        await self.drain(within: Self.drainLimit(for: self.configuration))
    }

    /// Waits for the calls still running to end and be journaled; past `limit`, or at once when
    /// this task is cancelled, cuts them off (they end as `interrupted`) and waits for that to be
    /// journaled.
    func drain(within limit: Duration) async {
        let running = self.running
        let logger = self.logger
        let cutOff = Task {
            try? await Task.sleep(for: limit)
            guard !Task.isCancelled, running.count > 0 else { return }
            logger.info("cutting off mid-call invocations still running at the stop", metadata: ["count": "\(running.count)"])
            running.cancelAll()
        }
        await withTaskCancellationHandler {
            await running.waitUntilNoneRuns()
        } onCancel: {
            running.cancelAll()
        }
        cutOff.cancel()
    }

    /// How many wait in this process for invocation `id` to finish.
    func waiterCount(for id: InvocationID) -> Int {
        self.waiters.waiterCount(for: id)
    }

    /// How long a stop lets running calls go on: the try under way (its DNS check and its
    /// timeout), and a second (`hooklog serve` gives its whole stop room for this after the
    /// scheduler's and the API's, `HooklogConfiguration.longestGracefulStopMs`).
    public static func drainLimit(for configuration: MidCallConfiguration) -> Duration {
        let lookupMs = DestinationGuard.lookupTimeoutMs(forRequestTimeoutMs: configuration.attemptTimeoutMs)
        return .milliseconds(lookupMs + configuration.attemptTimeoutMs + 1_000)
    }

    /// The tenant of invocation `id` while this process runs it or journals its result: it may
    /// not be in the store yet (the caller hears first). `nil` otherwise: read the store.
    public func tenantOfRunningInvocation(_ id: InvocationID) -> TenantID? {
        self.waiters.tenant(of: id)
    }

    /// What invocation `id`'s caller said to say while it runs, while this process runs it; `nil`
    /// otherwise, or when the caller gave none (the configured `waitingSay` stands).
    public func waitingMessageOfRunningInvocation(_ id: InvocationID) -> String? {
        self.waiters.waitingMessage(of: id)
    }

    /// How invocation `id` ended, waiting up to `timeout` for a running one; `nil` when unknown.
    public func outcome(of id: InvocationID, waitingUpTo timeout: Duration) async throws -> InvocationOutcome? {
        if let outcome = await self.waiters.wait(for: id, upTo: timeout) { return outcome }
        return try self.store.read { snapshot in
            guard let state = try snapshot.projections.invocation(id) else { return nil }
            guard let result = state.result,
                case .invocationFinished(let finished)? = try snapshot.record(at: result.finishedSequence)
            else { return .pending }
            return Self.outcome(of: AttemptResponse(
                statusCode: finished.statusCode.map(Int.init),
                errorKind: finished.errorKind,
                errorMessage: nil,
                latencyMs: finished.latencyMs,
                responseExcerpt: finished.responseBody
            ))
        }
    }

    /// One try, and more after a 5xx, timeout or connection error, after `retryBackoffMs`. The
    /// latency is the whole call's, from the first send.
    private func call(_ url: String, _ rendered: RenderedRequest, for tenantId: TenantID) async -> AttemptResponse {
        let destinations = DestinationGuard(
            allowsPrivateNetworks: self.configuration.allowsPrivateNetworks, requestTimeoutMs: self.configuration.attemptTimeoutMs, for: tenantId
        )
        let pin: ConnectionPin?
        switch await destinations.checkForSending(url) {
        case .send(let checkedPin): pin = checkedPin
        case .refused(let response): return response
        }
        let request = OutboundRequest(url: url, headers: rendered.headers, body: rendered.body, timeoutMs: self.configuration.attemptTimeoutMs, pin: pin)
        let firstSentAt = ContinuousClock.now
        // One byte past the limit tells a body that fits from one that does not.
        let keptBytes = self.configuration.maxResponseBytes + 1
        var response = await self.sendOnce(request, keepingResponseBytes: keptBytes)
        var retryCount = 0
        while retryCount < self.configuration.retryCount, Self.isWorthRetrying(response) {
            let backoffMs = Self.retryBackoffMs[min(retryCount, Self.retryBackoffMs.count - 1)]
            let jitteredMs = Double(backoffMs) * Double.random(in: 0.8...1.2)
            // A stop cuts the wait short: the call ends as interrupted, as one cut off while sending.
            guard (try? await Task.sleep(for: .milliseconds(jitteredMs))) != nil else {
                return .failed(.interrupted, "cut off: Hooklog was stopping", latencyMs: UInt64(firstSentAt.duration(to: .now).inMilliseconds))
            }
            retryCount += 1
            response = await self.sendOnce(request, keepingResponseBytes: keptBytes)
        }
        if retryCount > 0 { response.latencyMs = UInt64(firstSentAt.duration(to: .now).inMilliseconds) }
        guard response.responseExcerpt.count > self.configuration.maxResponseBytes else { return response }
        // A cut answer would be passed on as if whole: the call fails, keeping the bytes that fit.
        response.errorKind = .other
        response.errorMessage = "the answer is larger than \(self.configuration.maxResponseBytes) bytes"
        response.responseExcerpt = Array(response.responseExcerpt.prefix(self.configuration.maxResponseBytes))
        return response
    }

    /// One try. A 2xx whose body was cut off after its status counts as what cut it off (a
    /// timeout, say): the caller would otherwise read half an answer as if whole. Any other
    /// status stands as it came (a 4xx is not tried again, however its body ended).
    private func sendOnce(_ request: OutboundRequest, keepingResponseBytes: Int) async -> AttemptResponse {
        var response = await self.client.send(request, keepingResponseBytes: keepingResponseBytes)
        if let cutOffBy = response.bodyCutOffBy, let status = response.statusCode, (200..<300).contains(status) {
            response.errorKind = cutOffBy
        }
        return response
    }

    /// Journals the result once the start is journaled (a start the journal never took leaves
    /// nothing to finish); readers in this process get it from the start.
    private func journalFinish(_ id: InvocationID, _ response: AttemptResponse, after start: Task<Bool, Never>, logger: Logger) async {
        let finished = InvocationFinished(
            invocationId: id,
            finishedAtMs: self.clock(),
            statusCode: response.statusCode.map { UInt16(clamping: $0) },
            responseBody: response.responseExcerpt,
            latencyMs: response.latencyMs,
            errorKind: response.errorKind
        )
        self.waiters.settle(id, Self.outcome(of: response))
        if await start.value {
            await self.journal(.invocationFinished(finished), "invocation result", logger: logger)
        }
        self.waiters.close(id)
    }

    /// Appends `record`, offering it until the journal takes it; whether it did.
    @discardableResult
    private func journal(_ record: Record, _ what: String, logger: Logger) async -> Bool {
        await JournalOffer.untilTaken(what, logger: logger) { try await self.store.append([record]) } != nil
    }

    private func logger(of id: InvocationID) -> Logger {
        var logger = self.logger
        logger[metadataKey: "invocation.id"] = .stringConvertible(id)
        return logger
    }

    private func failedAnswer(_ id: InvocationID, _ outcome: InvocationOutcome) -> InvocationAnswer {
        InvocationAnswer(invocationId: id, outcome: outcome, say: self.configuration.fallbackSay, nextAction: self.configuration.fallbackNextAction)
    }

    /// A 5xx, a timeout or a connection error may pass; a refused address, a TLS failure, a
    /// stop's cut-off or a malformed request would only fail again.
    private static func isWorthRetrying(_ response: AttemptResponse) -> Bool {
        switch response.errorKind {
        case .timeout?, .connection?: return true
        case .tls?, .refused?, .interrupted?, .other?: return false
        case nil: return (response.statusCode ?? 0) >= 500
        }
    }

    private static func outcome(of response: AttemptResponse) -> InvocationOutcome {
        if let status = response.statusCode, response.errorKind == nil, (200..<300).contains(status) {
            return .completed(response: response.responseExcerpt, statusCode: status, latencyMs: response.latencyMs)
        }
        return .failed(statusCode: response.statusCode, errorKind: response.errorKind, latencyMs: response.latencyMs)
    }

    /// The task's result if it comes before `deadline`, else `nil` at the deadline (the task goes on).
    private static func firstOf<Value: Sendable>(_ call: Task<Value, Never>, orDeadline deadline: ContinuousClock.Instant) async -> Value? {
        // The first of the two racers to yield wins; the stream keeps only that one.
        let (first, racers) = AsyncStream<Value?>.makeStream(bufferingPolicy: .bufferingOldest(1))
        let timer = Task {
            try? await Task.sleep(until: deadline, clock: .continuous)
            racers.yield(nil)
        }
        let answer = Task {
            racers.yield(await call.value)
        }
        for await winner in first {
            timer.cancel()
            answer.cancel()
            return winner
        }
        return nil
    }
}
