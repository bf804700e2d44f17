import HooklogCore
public import HooklogJournal
public import Logging

/// Sends one started attempt: checks the destination again (DNS may have changed), renders and
/// signs it with its profile, sends it, and journals how it ended and what follows.
public struct AttemptDispatcher: Sendable {
    let journal: any AttemptEndJournal
    let client: WebhookHTTPClient
    let profiles: WireProfileCatalog
    let configuration: DispatchConfiguration
    let clock: @Sendable () -> UInt64
    /// What signatures are timestamped with: receivers compare them with their own wall clocks.
    let wallClock: @Sendable () -> UInt64
    let logger: Logger

    /// A dispatcher journaling attempts' ends into `store`.
    public init(
        store: some AttemptEndJournal,
        client: WebhookHTTPClient,
        profiles: WireProfileCatalog,
        configuration: DispatchConfiguration,
        clock: @escaping @Sendable () -> UInt64 = JournalConfiguration.wallClockMs,
        wallClock: @escaping @Sendable () -> UInt64 = JournalConfiguration.wallClockMs,
        logger: Logger
    ) {
        self.journal = store
        self.client = client
        self.profiles = profiles
        self.configuration = configuration
        self.clock = clock
        self.wallClock = wallClock
        self.logger = logger
    }

    /// Sends `job` and journals its end, offering it until the journal takes it
    /// (`JournalOffer`): the delivery does not stay in flight until a restart because of a
    /// passing refusal. `nil` when the offers stopped (a stop): the attempt then stays in flight
    /// and is sent again after the next start. `whenAnswered` runs as soon as the exchange with
    /// the endpoint is over, before its end is journaled.
    @discardableResult
    public func dispatch(_ job: AttemptJob, whenAnswered: @Sendable () -> Void = {}) async -> AttemptConclusion? {
        var logger = self.logger
        // Rendered only if something is logged, not for every attempt.
        logger[metadataKey: "delivery.id"] = .stringConvertible(job.deliveryId)
        logger[metadataKey: "attempt"] = .stringConvertible(job.attemptNumber)
        logger[metadataKey: "event.id"] = .string(job.event.eventId)
        logger[metadataKey: "tenant.id"] = .stringConvertible(job.tenantId)
        if let endpointId = job.endpointId { logger[metadataKey: "endpoint.id"] = .stringConvertible(endpointId) }
        // A profile gone from the catalog since the endpoint chose it (checked at start) fails the
        // attempt: another profile's envelope would not be what the receiver verifies.
        let profile = self.profiles[job.profile]
        let response = if let profile {
            await self.send(job, profile: profile)
        } else {
            AttemptResponse.failed(.other, "the endpoint's profile \(job.profile) is not among the loaded profiles (\(self.profiles.names.joined(separator: ", ")))")
        }
        whenAnswered()
        let answeredAtMs = self.clock()
        let conclusion = await JournalOffer.untilTaken("attempt end", logger: logger) {
            try await self.journal.finishAttempt(
                job, response: response, retries4xx: profile?.retries4xx ?? false, rules: self.configuration.rules, nowMs: answeredAtMs
            )
        }
        if let conclusion {
            let metadata: Logger.Metadata = [
                "status": "\(response.statusCode.map(String.init) ?? response.errorKind?.name ?? "none")",
                "conclusion": "\(conclusion)",
            ]
            // Told at info: one line per delivery that gave up, the tenant's to mend, not the operator's.
            if case .failed = conclusion {
                logger.info("delivery failed for good", metadata: metadata)
            } else {
                logger.debug("attempt finished", metadata: metadata)
            }
        }
        return conclusion
    }

    /// Checks the destination and sends, all within the request timeout: the DNS wait spends it too.
    private func send(_ job: AttemptJob, profile: WireProfile) async -> AttemptResponse {
        let startedAt = ContinuousClock.now
        let destinations = DestinationGuard(
            allowsPrivateNetworks: self.configuration.allowsPrivateNetworks,
            requestTimeoutMs: self.configuration.requestTimeoutMs,
            for: job.tenantId,
            resolver: self.configuration.hostResolver
        )
        let pin: ConnectionPin?
        switch await destinations.checkForSending(job.url) {
        case .send(let checkedPin): pin = checkedPin
        case .refused(let response): return response
        }
        let checkedMs = startedAt.duration(to: .now).inMilliseconds
        let remainingMs = self.configuration.requestTimeoutMs - checkedMs
        guard remainingMs > 0 else {
            return .failed(.timeout, "checking the destination took the whole request timeout (\(self.configuration.requestTimeoutMs) ms)")
        }
        let rendered: RenderedRequest
        do {
            rendered = try profile.render(
                job.event,
                secrets: job.secrets,
                bearerToken: job.bearerToken,
                sentAtMs: Int64(clamping: self.wallClock())
            )
        } catch {
            return .failed(.other, "the \(profile.name) profile cannot render this event: \(error)")
        }
        return await self.client.send(
            OutboundRequest(url: job.url, headers: rendered.headers, body: rendered.body, timeoutMs: remainingMs, pin: pin)
        )
    }
}
