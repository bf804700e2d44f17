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
    private let started = Atomic(false)
    private let scans = Atomic(0)
    /// When a scan last warned of due-index entries it could not read: a damaged entry is met by
    /// every scan, a hundred a second, and said once a minute.
    private let unreadableWarnedAt = Mutex<ContinuousClock.Instant?>(nil)

    /// What is being started or sent now, per target, and the due deliveries taken but not yet
    /// journaled as started (they are still in the due index, so the next look must skip them).
    private struct InFlight {
        /// Attempts taken, until their end is journaled.
        var total = 0
        /// Attempts taken per target, until their endpoint has answered: the per-endpoint limit
        /// bounds requests to the endpoint, not the journal's work around them.
        var perTarget: [TargetKey: Int] = [:]
        var claimed: Set<DeliveryID> = []
        /// Targets that freed a slot since the scheduler last looked: refilled from their own
        /// `targetDue` entries, without a scan of the whole due index.
        var freed: Set<TargetKey> = []
        /// Deliveries whose start the journal refused, not taken again before the time given:
        /// a failing disk is not hammered, and one undecidable delivery holds no other up.
        var heldBack: [DeliveryID: HeldBack] = [:]
    }

    /// The most often the due index is scanned (a pass over it may take several scans).
    static let scanInterval: Duration = .milliseconds(10)
    /// How many due deliveries of targets with no room one scan may step over, beyond its
    /// window: a backlog of one slow endpoint (a replay, a catch-up) is crossed in a few scans
    /// (a few milliseconds each), not one window at a time, to reach what others have due.
    static let steppedOverPerScan = 16_384
    /// How long the scheduler waits for a freed slot while every due delivery is blocked by its
    /// target's limit (a finishing attempt wakes it sooner); also the longest rest after a scan.
    static let blockedRecheck: Duration = .milliseconds(100)
    /// How long the scheduler waits after a read of the due index failed, before looking again.
    static let failedScheduleRecheck: Duration = .milliseconds(200)
    /// How long a delivery whose start failed is left alone, doubled on each failure up to the most.
    static let failedStartHoldBack: Duration = .seconds(1)
    static let longestFailedStartHoldBack: Duration = .seconds(60)

    /// A delivery left alone until `until`; the next failure doubles `delay`.
    private struct HeldBack {
        var until: ContinuousClock.Instant
        var delay: Duration

        /// Whether it is long past its time (cancelled or started since), and can be forgotten.
        func isForgotten(at now: ContinuousClock.Instant) -> Bool {
            self.until + self.delay * 2 <= now
        }
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

    /// Whether the scheduler has ever been running: true for good once it has, even after a
    /// stop that came at once (a look at `isRunning` alone could miss so short a run).
    public var hasStarted: Bool { self.started.load(ordering: .acquiring) }

    /// Attempts being sent right now.
    public var attemptsInFlight: Int { self.inFlight.withLock { $0.total } }

    /// How many times the due index has been scanned: what the scheduler's own cost grows with.
    var dueScanCount: Int { self.scans.load(ordering: .relaxed) }

    /// How many deliveries are held back after failed starts, or were and are not forgotten yet.
    var heldBackCount: Int { self.inFlight.withLock { $0.heldBack.count } }

    public func run() async throws {
        let recovery = try await self.store.recoverInterruptedAttempts(nowMs: self.clock())
        if recovery.recoveredCount > 0 {
            self.logger.info("attempts the last stop or crash cut off are finished as interrupted, their deliveries due again", metadata: ["count": "\(recovery.recoveredCount)"])
        }
        if recovery.unreadableCount > 0 {
            self.logger.error(
                "in-flight entries name deliveries that cannot be read, and are left as they are; run hooklog rebuild on the stopped data directory",
                metadata: ["count": "\(recovery.unreadableCount)"]
            )
        }
        // A stop that came first: never ready, however briefly (the API would say so).
        let isReady = !Task.isShuttingDownGracefully
        if isReady { self.readiness.store(true, ordering: .releasing) }
        // Marked started once readiness is set: whoever sees it started reads whether it runs
        // (the API's ready line), never the moment between.
        self.started.store(true, ordering: .releasing)
        guard isReady else { return }
        defer { self.readiness.store(false, ordering: .releasing) }
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                // Monotonic: a wall clock set back must not stop the scans.
                var nextScanAt = ContinuousClock.now
                var pass = DuePass()
                while !self.isStopping.load(ordering: .acquiring) && !Task.isCancelled {
                    let freed = self.inFlight.withLock { inFlight in
                        defer { inFlight.freed = [] }
                        return inFlight.freed
                    }
                    // What is taken is reserved at once, so it goes out even when a later read
                    // of this turn fails: a reservation never outlives its turn unsent.
                    var batch: [DueDelivery] = []
                    var failure: (any Error)?
                    do {
                        try self.refill(freed, into: &batch)
                    } catch {
                        failure = error
                        self.inFlight.withLock { $0.freed.formUnion(freed) }
                    }
                    // The due index, a scan at most every `scanInterval`: new work, retries
                    // coming due, and targets that had no slot free.
                    var isBlocked = false
                    // Also after a refill failed: one target's unreadable entries stop no other's work.
                    let mayScan = ContinuousClock.now >= nextScanAt
                    if mayScan {
                        do {
                            let startedAt = ContinuousClock.now
                            if let scanned = try self.claimDueDeliveries(in: &pass) {
                                batch += scanned.claimed
                                isBlocked = scanned.isBlocked
                                // A scan that cost much (a long backlog stepped over) is followed by a
                                // rest four times as long, up to `blockedRecheck`: scanning stays
                                // about a fifth of a core (scans under 25 ms), and new work waits no
                                // longer than that rest.
                                let rest = min(startedAt.duration(to: .now) * 4, Self.blockedRecheck)
                                nextScanAt = .now + max(Self.scanInterval, rest)
                            } else {
                                // No room, and no scan made: the first slot freed is filled by a
                                // scan at once, every target's live deliveries first.
                                isBlocked = true
                            }
                        } catch {
                            failure = error
                        }
                    }
                    if let failure {
                        self.logger.info("scheduling failed; trying again shortly", metadata: ["error": "\(failure)"])
                    }
                    if !batch.isEmpty {
                        // Start batches do not wait for each other: their commits share syncs.
                        group.addTask { await self.start(batch) }
                        continue
                    }
                    do {
                        let wait: Duration?
                        if failure != nil {
                            wait = Self.failedScheduleRecheck
                        } else if isBlocked {
                            wait = Self.blockedRecheck
                        } else if mayScan && pass.position == nil {
                            let untilNextScan = ContinuousClock.now.duration(to: nextScanAt)
                            wait = try self.sleepDuration().map { max($0, untilNextScan) }
                        } else {
                            wait = ContinuousClock.now.duration(to: nextScanAt)
                        }
                        await self.store.dueWork.wait(for: wait)
                    } catch {
                        self.logger.info("scheduling failed; trying again shortly", metadata: ["error": "\(error)"])
                        await self.store.dueWork.wait(for: Self.failedScheduleRecheck)
                    }
                }
            }
        } onGracefulShutdown: {
            // Not ready from the moment a stop is asked for, not once the attempts in flight
            // have drained: a load balancer should send no more while they do.
            self.readiness.store(false, ordering: .releasing)
            self.isStopping.store(true, ordering: .releasing)
            self.store.dueWork.signal()
        }
    }

    /// Takes due deliveries from the due index while there is room, going on from where `pass`
    /// stopped short, skipping those already taken and stepping over those of targets with no
    /// room; `nil`, with no scan made, when there is no room. Blocked: the pass reached the end
    /// of what is due having taken nothing. A pass that fills the room ends there: the next
    /// starts from the earliest again.
    private func claimDueDeliveries(in pass: inout DuePass) throws -> (claimed: [DueDelivery], isBlocked: Bool)? {
        let maxPerTarget = self.configuration.maxConcurrentAttemptsPerEndpoint
        let (room, claimed, fullTargets) = self.inFlight.withLock { inFlight in
            (
                self.configuration.maxConcurrentAttempts - inFlight.total,
                inFlight.claimed.count,
                Set(inFlight.perTarget.compactMap { $0.value >= maxPerTarget ? $0.key : nil })
            )
        }
        guard room > 0 else { return nil }
        // A scan that stops short (its window full, or as much stepped over as it may) without
        // filling the room leaves the next to go on after it: targets behind a long backlog of
        // another are reached in turn, at a bounded cost.
        let window = min(room * 4, self.configuration.dueScanWindow) + claimed
        self.scans.add(1, ordering: .relaxed)
        let scan = try self.store.dueDeliveries(
            atOrBeforeMs: self.clock(),
            after: pass.position,
            limit: window,
            examiningAtMost: window + Self.steppedOverPerScan,
            skipping: fullTargets
        )
        if scan.unreadableCount > 0 { self.warnOfUnreadableDueEntries(scan.unreadableCount) }
        let chosen = self.reserve(scan.deliveries, room: room)
        pass.note(scan, took: chosen)
        if chosen.count < room, let resumeAfter = scan.resumeAfter {
            pass.position = resumeAfter
            return (chosen, false)
        }
        let ended = pass
        pass = DuePass()
        return (chosen, !ended.tookAny && ended.sawDue)
    }

    /// Says, at most once a minute, that scans step over due-index entries they cannot read.
    private func warnOfUnreadableDueEntries(_ count: Int) {
        let now = ContinuousClock.now
        let isTime = self.unreadableWarnedAt.withLock { warnedAt in
            guard warnedAt.map({ $0.duration(to: now) >= .seconds(60) }) ?? true else { return false }
            warnedAt = now
            return true
        }
        guard isTime else { return }
        self.logger.error(
            "due-index entries cannot be read and are stepped over; run hooklog rebuild on the stopped data directory",
            metadata: ["count": "\(count)"]
        )
    }

    /// Takes due deliveries of each target in `freed` into the slots it has, its live ones ahead
    /// of those a replay reopened (`DueLane`), adding them to `batch`, which keeps those taken
    /// before a read that fails. Refilling from its replay at once keeps a replay going at its
    /// endpoint's pace. While Hooklog's overall limit is full this finds no room (an attempt
    /// frees its endpoint's slot before its overall one, which a scan fills, every target's live
    /// deliveries first); only a refill that comes after both may give the replay an overall
    /// slot another target's live delivery was due for, which then takes the next one.
    private func refill(_ freed: Set<TargetKey>, into batch: inout [DueDelivery]) throws {
        for target in freed {
            let (room, claimed) = self.inFlight.withLock { inFlight in
                let free = min(
                    self.configuration.maxConcurrentAttemptsPerEndpoint - inFlight.perTarget[target, default: 0],
                    self.configuration.maxConcurrentAttempts - inFlight.total
                )
                return (free, inFlight.claimed.count)
            }
            guard room > 0 else { continue }
            // Room past the claimed and the held back, which may lead the target's due entries.
            let skipped = self.inFlight.withLock { $0.heldBack.count }
            let due = try self.store.dueDeliveries(to: target, atOrBeforeMs: self.clock(), limit: room + claimed + skipped)
            batch += self.reserve(due, room: room)
        }
    }

    /// Journals the start of `batch`'s attempts, then sends each.
    private func start(_ batch: [DueDelivery]) async {
        let jobs = await self.journalStarts(of: batch)
        let startedIds = Set(jobs.map(\.deliveryId))
        // Each job frees the slot it was claimed under, the due entry's target, never a key
        // worked out again (a different one would leave the claimed slot taken for good).
        let targets = Dictionary(batch.map { ($0.deliveryId, $0.target) }, uniquingKeysWith: { first, _ in first })
        self.inFlight.withLock { inFlight in
            for delivery in batch { inFlight.claimed.remove(delivery.deliveryId) }
        }
        for delivery in batch where !startedIds.contains(delivery.deliveryId) {
            self.releaseTargetSlot(delivery.target)
            self.releaseGlobalSlot()
        }
        self.store.dueWork.signal()
        await withDiscardingTaskGroup { group in
            for job in jobs {
                group.addTask {
                    // The endpoint's slot frees once it has answered, so that its next attempt
                    // starts while this one's end is being journaled; the global one after that.
                    let target = targets[job.deliveryId]!
                    await self.dispatcher.dispatch(job) { self.releaseTargetSlot(target) }
                    self.releaseGlobalSlot()
                }
            }
        }
    }

    /// Journals the starts of `batch` in one command. If LMDB refuses it (a full disk, an I/O
    /// error), the whole batch is held back; if the journal refuses it otherwise, each start goes
    /// on its own (concurrent commands still share a commit), and those refused alone are held back.
    private func journalStarts(of batch: [DueDelivery]) async -> [AttemptJob] {
        do {
            let jobs = try await self.store.startAttempts(batch.map(\.deliveryId), nowMs: self.clock())
            // Each is settled, started or not (cancelled at its start, or no longer due): no
            // longer held back. Kept, each delivery a journal outage held back would stay in
            // memory, and make every refill read past it.
            self.inFlight.withLock { inFlight in
                for delivery in batch { inFlight.heldBack[delivery.deliveryId] = nil }
            }
            return jobs
        } catch let error as LMDBError {
            self.logger.warning("attempts not started; trying again shortly", metadata: ["count": "\(batch.count)", "error": "\(error)"])
            self.holdBack(batch.map(\.deliveryId))
            return []
        } catch where batch.count > 1 {
            return await withTaskGroup(of: [AttemptJob].self) { group in
                for delivery in batch {
                    group.addTask { await self.journalStarts(of: [delivery]) }
                }
                return await group.reduce(into: []) { $0 += $1 }
            }
        } catch {
            let deliveryId = batch[0].deliveryId
            // A damaged log is an operator's to mend (`hooklog verify` says where), not a passing state.
            let level: Logger.Level = error is LogFormatError ? .error : .warning
            self.logger.log(level: level, "attempt not started; trying again later", metadata: ["delivery": "\(deliveryId)", "error": "\(error)"])
            self.holdBack([deliveryId])
            return []
        }
    }

    /// Leaves `deliveryIds` alone for a while: twice as long as last time, if they were held before.
    private func holdBack(_ deliveryIds: [DeliveryID]) {
        let now = ContinuousClock.now
        self.inFlight.withLock { inFlight in
            // Those long past their time (cancelled or started since) are forgotten.
            inFlight.heldBack = inFlight.heldBack.filter { !$0.value.isForgotten(at: now) }
            for deliveryId in deliveryIds {
                let delay = inFlight.heldBack[deliveryId].map { min($0.delay * 2, Self.longestFailedStartHoldBack) } ?? Self.failedStartHoldBack
                inFlight.heldBack[deliveryId] = HeldBack(until: now + delay, delay: delay)
            }
        }
    }

    /// Reserves room for up to `room` of `due`, at most the per-endpoint limit each, skipping
    /// deliveries held back.
    private func reserve(_ due: [DueDelivery], room: Int) -> [DueDelivery] {
        let now = ContinuousClock.now
        return self.inFlight.withLock { inFlight in
            var chosen: [DueDelivery] = []
            for delivery in due where chosen.count < room && !inFlight.claimed.contains(delivery.deliveryId) {
                if let heldBack = inFlight.heldBack[delivery.deliveryId] {
                    guard heldBack.until <= now else { continue }
                    // Its time is up; forgotten once long past it, so that the map stays small.
                    if heldBack.isForgotten(at: now) { inFlight.heldBack[delivery.deliveryId] = nil }
                }
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

    /// Frees one of `target`'s slots; the scheduler refills it from that target's due deliveries.
    private func releaseTargetSlot(_ target: TargetKey) {
        self.inFlight.withLock { inFlight in
            let remaining = inFlight.perTarget[target, default: 1] - 1
            inFlight.perTarget[target] = remaining > 0 ? remaining : nil
            inFlight.freed.insert(target)
        }
        self.store.dueWork.signal()
    }

    private func releaseGlobalSlot() {
        self.inFlight.withLock { $0.total -= 1 }
        self.store.dueWork.signal()
    }

    /// Until the next delivery is due; `nil` (until signalled) when none waits.
    private func sleepDuration() throws -> Duration? {
        guard let nextDueAtMs = try self.store.nextDueAtMs() else { return nil }
        let now = self.clock()
        return .milliseconds(nextDueAtMs > now ? Int64(nextDueAtMs - now) : 1)
    }
}
