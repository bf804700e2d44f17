/// A delivery as the `deliveries` table keeps it.
public struct DeliveryState: Sendable, Equatable {
    /// The value format this build writes (and the only one it reads).
    public static let valueVersion: UInt8 = 4

    /// How many attempts of the runs before the current one a row keeps, the latest: a delivery
    /// retried or replayed without end must not grow a row that every attempt rewrites. Its
    /// current run is kept whole (the retry schedule walks it); the log keeps every attempt.
    public static let earlierAttemptsKept = 20
    /// How many attempts of its current run that a stop or a busy resolver interrupted a row
    /// keeps, the latest, counting the one in flight (which may end so too): they use no retry,
    /// so one run could gather them without end.
    public static let interruptedAttemptsKept = 10

    /// The event's tenant.
    public var tenantId: TenantID
    /// The event it carries.
    public var eventId: EventID
    /// Where it goes.
    public var target: DeliveryTarget
    /// Where it is in its life.
    public var status: DeliveryStatus
    /// When it was planned, in milliseconds since 1970.
    public var plannedAtMs: UInt64
    /// The log sequence of its `DeliveryPlanned` record.
    public var plannedSequence: UInt64
    /// Its latest attempts, oldest first: those of its current run (of the interrupted ones, the
    /// latest `interruptedAttemptsKept`), and before them at most `earlierAttemptsKept` of the
    /// runs before.
    public private(set) var attempts: [AttemptSummary]
    /// How many attempts it has had, numbered from 1, those `attempts` no longer holds included.
    public private(set) var attemptCount: UInt32
    /// When it is due; set exactly while `pending` or `retrying` (and then it is in `due`).
    public var nextAttemptAtMs: UInt64?
    /// The replay it is being re-sent for, until it finishes again.
    public var replayId: ReplayID?
    /// When it finished (succeeded, failed or was cancelled), in milliseconds since 1970.
    public var finishedAtMs: UInt64?
    /// Why it failed, if it did.
    public var failureReason: DeliveryFailureReason?
    /// Why it was cancelled, if it was.
    public var cancelReason: DeliveryCancelReason?
    /// How many attempts it had when it was last reopened (a retry or a replay of a finished
    /// delivery); 0 if it never was. Its current run of attempts starts after them.
    public private(set) var reopenedAfterAttemptCount: UInt32

    /// A delivery's state.
    public init(
        tenantId: TenantID,
        eventId: EventID,
        target: DeliveryTarget,
        status: DeliveryStatus,
        plannedAtMs: UInt64,
        plannedSequence: UInt64,
        attempts: [AttemptSummary] = [],
        nextAttemptAtMs: UInt64? = nil,
        replayId: ReplayID? = nil,
        finishedAtMs: UInt64? = nil,
        failureReason: DeliveryFailureReason? = nil,
        cancelReason: DeliveryCancelReason? = nil,
        reopenedAfterAttemptCount: UInt32 = 0
    ) {
        precondition(reopenedAfterAttemptCount <= attempts.last?.number ?? 0, "a delivery is reopened after attempts it had")
        self.tenantId = tenantId
        self.eventId = eventId
        self.target = target
        self.status = status
        self.plannedAtMs = plannedAtMs
        self.plannedSequence = plannedSequence
        self.attempts = attempts
        self.attemptCount = attempts.last?.number ?? 0
        self.nextAttemptAtMs = nextAttemptAtMs
        self.replayId = replayId
        self.finishedAtMs = finishedAtMs
        self.failureReason = failureReason
        self.cancelReason = cancelReason
        self.reopenedAfterAttemptCount = reopenedAfterAttemptCount
    }

    /// How many attempts its current run holds: those since it was last reopened, without the
    /// ones a stop interrupted. The retry schedule is walked by this count, so a reopened
    /// delivery gets the whole schedule again and a restart costs it no retry.
    public var attemptsInCurrentRun: Int {
        self.attemptsOfCurrentRun.count { $0.errorKind != .interrupted }
    }

    /// How many attempts of its current run right before its latest ended interrupted (held
    /// back, or cut off by a stop), one after another.
    public var interruptedAttemptsBeforeLatest: Int {
        self.attemptsOfCurrentRun.dropLast().reversed().prefix { $0.errorKind == .interrupted }.count
    }

    /// Its attempts since it was last reopened, interrupted ones included.
    public var attemptsOfCurrentRun: ArraySlice<AttemptSummary> {
        self.attempts.drop { $0.number <= self.reopenedAfterAttemptCount }
    }

    /// Starts its next attempt (numbered `attemptCount + 1`), journaled at `sequence`.
    public mutating func startAttempt(atMs startedAtMs: UInt64, sequence: UInt64, replayId: ReplayID?) {
        self.dropOldestInterruptedAttemptOfRunIfFull()
        self.attemptCount += 1
        self.attempts.append(AttemptSummary(number: self.attemptCount, startedAtMs: startedAtMs, startedSequence: sequence, replayId: replayId))
    }

    /// Makes room for one more interrupted attempt in the current run: neither the retry
    /// schedule nor a replay's filter counts them, so only the row's size changes.
    private mutating func dropOldestInterruptedAttemptOfRunIfFull() {
        // Walked from the latest, without allocating: it runs at every attempt a rebuild replays.
        var interruptedCount = 0
        var oldestInterrupted: Int?
        for index in self.attempts.indices.reversed() {
            guard self.attempts[index].number > self.reopenedAfterAttemptCount else { break }
            if self.attempts[index].errorKind == .interrupted {
                interruptedCount += 1
                oldestInterrupted = index
            }
        }
        guard interruptedCount >= Self.interruptedAttemptsKept, let oldestInterrupted else { return }
        self.attempts.remove(at: oldestInterrupted)
    }

    /// Replaces its latest attempt (the one in flight, as it finished).
    public mutating func replaceLatestAttempt(with attempt: AttemptSummary) {
        precondition(self.attempts.last?.number == attempt.number, "only the latest attempt is replaced")
        self.attempts[self.attempts.count - 1] = attempt
    }

    /// Starts a new run of attempts (a retry or a replay of a finished delivery), keeping the
    /// latest `earlierAttemptsKept` of those before.
    public mutating func reopen() {
        self.reopenedAfterAttemptCount = self.attemptCount
        if self.attempts.count > Self.earlierAttemptsKept {
            self.attempts.removeFirst(self.attempts.count - Self.earlierAttemptsKept)
        }
    }

    /// The stored bytes: version, then fields.
    public func encode() -> [UInt8] {
        BinaryFraming.encode(self, version: Self.valueVersion)
    }

    /// Reads what `encode()` wrote.
    public init(decoding bytes: some Collection<UInt8>) throws(RecordDecodingError) {
        self = try BinaryFraming.decode(Self.self, from: bytes, versions: Self.valueVersion...Self.valueVersion)
    }
}

extension DeliveryState: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.writeID(self.tenantId)
        writer.writeID(self.eventId)
        writer.write(self.target)
        writer.writeTag(self.status)
        writer.writeVarint(self.plannedAtMs)
        writer.writeVarint(self.plannedSequence)
        writer.writeArray(self.attempts)
        writer.writeVarint(UInt64(self.attemptCount))
        writer.writeOptionalVarint(self.nextAttemptAtMs)
        writer.writeOptionalID(self.replayId)
        writer.writeOptionalVarint(self.finishedAtMs)
        writer.writeOptionalTag(self.failureReason)
        writer.writeOptionalTag(self.cancelReason)
        writer.writeVarint(UInt64(self.reopenedAfterAttemptCount))
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        self.tenantId = try reader.readID()
        self.eventId = try reader.readID()
        self.target = try reader.read()
        self.status = try reader.readTag()
        self.plannedAtMs = try reader.readVarint()
        self.plannedSequence = try reader.readVarint()
        self.attempts = try reader.readArray()
        // The attempts held are the latest, numbered up to the count.
        guard let attemptCount = UInt32(exactly: try reader.readVarint()), attemptCount >= self.attempts.count,
            self.attempts.last.map({ $0.number == attemptCount }) ?? (attemptCount == 0)
        else {
            throw .invalidValue
        }
        self.attemptCount = attemptCount
        self.nextAttemptAtMs = try reader.readOptionalVarint()
        self.replayId = try reader.readOptionalID()
        self.finishedAtMs = try reader.readOptionalVarint()
        self.failureReason = try reader.readOptionalTag()
        self.cancelReason = try reader.readOptionalTag()
        guard let reopenedAfterAttemptCount = UInt32(exactly: try reader.readVarint()), reopenedAfterAttemptCount <= attemptCount else {
            throw .invalidValue
        }
        self.reopenedAfterAttemptCount = reopenedAfterAttemptCount
    }
}

extension DeliveryState: ProjectedEntity {
    public static var table: ProjectionTable { .deliveries }
    public static func key(_ id: DeliveryID) -> [UInt8] { ProjectionKeys.delivery(id) }

    /// Its places in the listings.
    public func lifetimeIndexEntries(of id: DeliveryID) -> [IndexEntry] {
        var entries: [IndexEntry] = []
        entries.reserveCapacity(3)
        entries.append(IndexEntry(.eventDeliveries, ProjectionKeys.eventDelivery(eventId: self.eventId, plannedSequence: self.plannedSequence, deliveryId: id)))
        entries.append(IndexEntry(
            .tenantDeliveries,
            ProjectionKeys.tenantDelivery(tenantId: self.tenantId, plannedAtMs: self.plannedAtMs, plannedSequence: self.plannedSequence, deliveryId: id)
        ))
        if let endpointId = self.target.endpointId {
            entries.append(IndexEntry(
                .endpointDeliveries,
                ProjectionKeys.endpointDelivery(endpointId: endpointId, plannedAtMs: self.plannedAtMs, plannedSequence: self.plannedSequence, deliveryId: id)
            ))
        }
        return entries
    }

    /// While it waits, its places in the scheduler's indexes; while in flight, its place among
    /// the deliveries a restart must finish.
    public func stateIndexEntries(of id: DeliveryID) -> [IndexEntry] {
        if let dueAtMs = self.nextAttemptAtMs {
            let target = TargetKey(self.target, of: self.tenantId)
            let lane = DueLane(replayId: self.replayId)
            return [
                IndexEntry(.due, ProjectionKeys.due(lane, dueAtMs: dueAtMs, deliveryId: id), target.bytes),
                IndexEntry(.targetDue, ProjectionKeys.targetDue(target, lane, dueAtMs: dueAtMs, deliveryId: id)),
            ]
        }
        return self.status == .inFlight ? [IndexEntry(.inFlight, ProjectionKeys.inFlight(id))] : []
    }
}
