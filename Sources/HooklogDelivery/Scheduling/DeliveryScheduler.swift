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

    /// What is being started or sent now, per target, and the due deliveries taken but not yet
    /// journaled as started (they are still in the due index, so the next look must skip them).
    private struct InFlight {
        var total = 0
        var perTarget: [DeliveryTarget: Int] = [:]
        var claimed: Set<DeliveryID> = []
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
                        let batch = try self.claimDueDeliveries()
                        if batch.isEmpty {
                            // Full, or what is due is being started: a finishing attempt or start signals.
                            let isBusy = self.inFlight.withLock { $0.total > 0 && ($0.total >= self.configuration.maxConcurrentAttempts || !$0.claimed.isEmpty) }
                            await self.store.dueWork.wait(for: isBusy ? .seconds(1) : try self.sleepDuration())
                            continue
                        }
                        // Start batches do not wait for each other: their commits share syncs.
                        group.addTask { await self.start(batch) }
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

    /// Takes due deliveries while there is room, skipping those already taken.
    private func claimDueDeliveries() throws -> [DueDelivery] {
        let (room, claimed) = self.inFlight.withLock { (self.configuration.maxConcurrentAttempts - $0.total, $0.claimed.count) }
        guard room > 0 else { return [] }
        // Look a little past the room, so that a saturated endpoint at the head does not stall others.
        let due = try self.store.dueDeliveries(atOrBeforeMs: self.clock(), limit: room * 4 + claimed)
        return self.reserve(due, room: room)
    }

    /// Journals the start of `batch`'s attempts, then sends each.
    private func start(_ batch: [DueDelivery]) async {
        let jobs: [AttemptJob]
        do {
            jobs = try await self.store.startAttempts(batch.map(\.deliveryId), nowMs: self.clock())
        } catch {
            self.logger.info("attempts not started; trying again shortly", metadata: ["error": "\(error)"])
            jobs = []
        }
        let startedIds = Set(jobs.map(\.deliveryId))
        self.inFlight.withLock { inFlight in
            for delivery in batch { inFlight.claimed.remove(delivery.deliveryId) }
        }
        for delivery in batch where !startedIds.contains(delivery.deliveryId) {
            self.release(delivery.target)
        }
        self.store.dueWork.signal()
        await withDiscardingTaskGroup { group in
            for job in jobs {
                group.addTask {
                    await self.dispatcher.dispatch(job)
                    self.release(job)
                }
            }
        }
    }

    /// Reserves room for up to `room` of `due`, at most the per-endpoint limit each.
    private func reserve(_ due: [DueDelivery], room: Int) -> [DueDelivery] {
        self.inFlight.withLock { inFlight in
            var chosen: [DueDelivery] = []
            for delivery in due where chosen.count < room && !inFlight.claimed.contains(delivery.deliveryId) {
                let current = inFlight.perTarget[delivery.target, default: 0]
                guard current < self.configuration.maxConcurrentAttemptsPerEndpoint else { continue }
                inFlight.perTarget[delivery.target] = current + 1
                inFlight.total += 1
                inFlight.claimed.insert(delivery.deliveryId)
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
