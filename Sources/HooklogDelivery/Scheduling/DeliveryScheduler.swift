import HooklogCore
public import HooklogJournal
public import Logging
public import ServiceLifecycle
import Synchronization

/// Takes due deliveries from the due index, in order, and dispatches them within the
/// concurrency limits; sleeps until the next one is due or a command makes one due.
///
/// At start it finishes every attempt that a crash left in flight as interrupted, so that it is
/// sent again (at least once). On graceful shutdown it takes no new work and lets in-flight
/// attempts finish (each is bounded by the request timeout) and be journaled.
public final class DeliveryScheduler: Service, Sendable {
    private let store: HooklogStore
    private let dispatcher: AttemptDispatcher
    private let configuration: DispatchConfiguration
    private let clock: @Sendable () -> UInt64
    private let logger: Logger
    private let inFlight = Mutex(InFlight())
    private let isStopping = Atomic(false)
    private let readiness = Atomic(false)

    /// What is being sent now, per target.
    private struct InFlight {
        var total = 0
        var perTarget: [DeliveryTarget: Int] = [:]
    }

    /// A scheduler dispatching from `store` through `dispatcher`.
    public init(
        store: HooklogStore,
        dispatcher: AttemptDispatcher,
        configuration: DispatchConfiguration,
        clock: @escaping @Sendable () -> UInt64 = JournalConfiguration.wallClockMs,
        logger: Logger
    ) {
        self.store = store
        self.dispatcher = dispatcher
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
    }

    /// Whether the scheduler has recovered interrupted attempts and is taking due work.
    public var isRunning: Bool { self.readiness.load(ordering: .acquiring) }

    /// Attempts being sent right now.
    public var attemptsInFlight: Int { self.inFlight.withLock { $0.total } }

    public func run() async throws {
        let recovered = try await self.store.recoverInterruptedAttempts(nowMs: self.clock())
        if recovered > 0 {
            self.logger.info("resending attempts a stop interrupted", metadata: ["count": "\(recovered)"])
        }
        self.readiness.store(true, ordering: .releasing)
        defer { self.readiness.store(false, ordering: .releasing) }
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                while !self.isStopping.load(ordering: .acquiring) && !Task.isCancelled {
                    do {
                        let started = try await self.startDueAttempts()
                        for job in started {
                            group.addTask {
                                await self.dispatcher.dispatch(job)
                                self.release(job)
                            }
                        }
                        if started.isEmpty {
                            await self.store.dueWork.wait(for: try self.sleepDuration())
                        }
                    } catch {
                        self.logger.info("scheduling failed; trying again shortly", metadata: ["error": "\(error)"])
                        await self.store.dueWork.wait(for: .milliseconds(200))
                    }
                }
            }
        } onGracefulShutdown: {
            self.isStopping.store(true, ordering: .releasing)
            self.store.dueWork.signal()
        }
    }

    /// Starts attempts of due deliveries while there is room; returns the started ones.
    private func startDueAttempts() async throws -> [AttemptJob] {
        let room = self.configuration.maxConcurrentAttempts - self.attemptsInFlight
        guard room > 0 else { return [] }
        // Look a little past the room, so that a saturated endpoint at the head does not stall others.
        let due = try self.store.dueDeliveries(atOrBeforeMs: self.clock(), limit: room * 4)
        let chosen = self.reserve(due, room: room)
        guard !chosen.isEmpty else { return [] }
        let jobs = try await self.store.startAttempts(chosen.map(\.deliveryId), nowMs: self.clock())
        let startedIds = Set(jobs.map(\.deliveryId))
        for delivery in chosen where !startedIds.contains(delivery.deliveryId) {
            self.release(delivery.target)
        }
        return jobs
    }

    /// Reserves room for up to `room` of `due`, at most the per-endpoint limit each.
    private func reserve(_ due: [DueDelivery], room: Int) -> [DueDelivery] {
        self.inFlight.withLock { inFlight in
            var chosen: [DueDelivery] = []
            for delivery in due where chosen.count < room {
                let current = inFlight.perTarget[delivery.target, default: 0]
                guard current < self.configuration.maxConcurrentAttemptsPerEndpoint else { continue }
                inFlight.perTarget[delivery.target] = current + 1
                inFlight.total += 1
                chosen.append(delivery)
            }
            return chosen
        }
    }

    private func release(_ job: AttemptJob) {
        self.release(job.endpointId.map(DeliveryTarget.endpoint) ?? .inline(url: job.url))
        self.store.dueWork.signal()
    }

    private func release(_ target: DeliveryTarget) {
        self.inFlight.withLock { inFlight in
            inFlight.total -= 1
            let remaining = inFlight.perTarget[target, default: 1] - 1
            inFlight.perTarget[target] = remaining > 0 ? remaining : nil
        }
    }

    /// Until the next delivery is due; `nil` (until signalled) when none waits.
    private func sleepDuration() throws -> Duration? {
        guard let nextDueAtMs = try self.store.nextDueAtMs() else { return nil }
        let now = self.clock()
        return .milliseconds(nextDueAtMs > now ? Int64(nextDueAtMs - now) : 1)
    }
}
