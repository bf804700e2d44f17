import HooklogCore
public import HooklogJournal
public import Logging
import ServiceLifecycle

/// Sends one started attempt: checks the destination again (DNS may have changed), renders and
/// signs it with its profile, sends it, and journals how it ended and what follows.
public struct AttemptDispatcher: Sendable {
    let journal: any AttemptEndJournal
    let client: WebhookHTTPClient
    let profiles: WireProfileCatalog
    let configuration: DispatchConfiguration
    let clock: @Sendable () -> UInt64
    let logger: Logger

    /// A dispatcher journaling attempts' ends into `store`.
    public init(
        store: some AttemptEndJournal,
        client: WebhookHTTPClient,
        profiles: WireProfileCatalog,
        configuration: DispatchConfiguration,
        clock: @escaping @Sendable () -> UInt64 = JournalConfiguration.wallClockMs,
        logger: Logger
    ) {
        self.journal = store
        self.client = client
        self.profiles = profiles
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
    }

    /// Sends `job` and journals its end. While the journal refuses the end (a full map, a disk
    /// error) it is offered again, ever less often, so that the delivery does not stay in flight
    /// until a restart; only when the journal has closed (a stop), or the task is cancelled, does
    /// the attempt stay in flight, to be sent again after the next start (during a graceful stop,
    /// a refused end is not offered again either). `whenAnswered` runs as
    /// soon as the exchange with the endpoint is over, before its end is journaled.
    @discardableResult
    public func dispatch(_ job: AttemptJob, whenAnswered: @Sendable () -> Void = {}) async -> AttemptConclusion? {
        var logger = self.logger
        // Rendered only if something is logged, not for every attempt.
        logger[metadataKey: "delivery.id"] = .stringConvertible(job.deliveryId)
        logger[metadataKey: "attempt"] = .stringConvertible(job.attemptNumber)
        let profile = self.profiles[job.profile] ?? self.profiles[WireProfile.defaultName]!
        let response = await self.send(job, profile: profile)
        whenAnswered()
        let answeredAtMs = self.clock()
        var retryDelayMs = Self.firstJournalRetryDelayMs
        while true {
            do {
                let conclusion = try await self.journal.finishAttempt(
                    job,
                    response: response,
                    retries4xx: profile.retries4xx,
                    rules: self.configuration.rules,
                    nowMs: answeredAtMs
                )
                logger.debug("attempt finished", metadata: ["status": "\(response.statusCode.map(String.init) ?? "none")", "conclusion": "\(conclusion)"])
                return conclusion
            } catch let error as JournalError where error == .closed {
                logger.info("attempt end not journaled: the journal has closed; it is resent after restart")
                return nil
            } catch where Task.isShuttingDownGracefully {
                // Stopping: waiting out a failing journal would only hold the stop up.
                logger.info("attempt end not journaled while stopping; it is resent after restart", metadata: ["error": "\(error)"])
                return nil
            } catch {
                logger.warning("attempt end not journaled; offering it again", metadata: ["error": "\(error)", "retry.ms": "\(retryDelayMs)"])
            }
            do {
                try await Task.sleep(for: .milliseconds(retryDelayMs))
            } catch {
                logger.info("attempt end not journaled before the stop; it is resent after restart")
                return nil
            }
            retryDelayMs = min(retryDelayMs * 2, Self.lastJournalRetryDelayMs)
        }
    }

    /// How long the first refusal of an attempt's end waits before offering it again; each
    /// refusal doubles the wait, up to `lastJournalRetryDelayMs`.
    static let firstJournalRetryDelayMs: Int64 = 100
    static let lastJournalRetryDelayMs: Int64 = 5_000

    private func send(_ job: AttemptJob, profile: WireProfile) async -> AttemptResponse {
        do {
            let destinations = DestinationGuard(allowsPrivateNetworks: self.configuration.allowsPrivateNetworks, lookupTimeoutMs: self.configuration.requestTimeoutMs)
            try await destinations.check(job.url)
        } catch {
            return .failed(error.isUnresolvable ? .connection : .refused, error.description)
        }
        let rendered: RenderedRequest
        do {
            rendered = try profile.render(
                job.event,
                secrets: job.secrets,
                bearerToken: job.bearerToken,
                timestampSeconds: Int64(self.clock() / 1000)
            )
        } catch {
            return .failed(.other, "the \(profile.name) profile cannot render this event: \(error)")
        }
        return await self.client.send(
            OutboundRequest(url: job.url, headers: rendered.headers, body: rendered.body, timeoutMs: self.configuration.requestTimeoutMs)
        )
    }
}
