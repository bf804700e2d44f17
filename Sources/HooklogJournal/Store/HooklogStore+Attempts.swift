public import HooklogCore

extension HooklogStore {
    /// Up to `limit` deliveries due at or before `nowMs`: the live lane's, then the replay
    /// lane's (`DueLane`), each the earliest first, after `position` in each lane (from their
    /// starts without one), leaving out those to a target in `fullTargets`. Each lane is looked
    /// at for no more than `examineLimit` due entries: a long backlog of targets with no room
    /// left is stepped over cheaply, a scan at a time, so that what others have due is reached.
    /// The replay lane is looked at only once the live lane was read to its end, and the live
    /// lane is then read from its start again by the next scan: live work that came due
    /// meanwhile, wherever it sorts, goes ahead of the replay's backlog.
    public func dueDeliveries(
        atOrBeforeMs nowMs: UInt64,
        after position: DuePosition? = nil,
        limit: Int,
        examiningAtMost examineLimit: Int,
        skipping fullTargets: Set<TargetKey> = []
    ) throws -> DueScan {
        precondition(limit > 0 && examineLimit > 0, "a scan looks at one due delivery at least")
        // Stepping over an entry allocates nothing: a backlog is crossed at memory speed.
        let skipped = Set(fullTargets.map(PackedTargetKey.init))
        return try self.read { snapshot in
            var scan = DueScan()
            var resume = position ?? DuePosition()
            for lane in DueLane.allCases {
                let after = resume.afterKeys[lane]
                var examinedCount = 0
                var lastExamined: CopiedDueKey?
                var isCut = false
                try snapshot.projections.scan(.due, from: after ?? [lane.rawValue]) { key, value in
                    guard key.first == lane.rawValue else { return false }
                    guard key.count == ProjectionKeys.dueKeyByteCount else {
                        scan.unreadableCount += 1
                        return true
                    }
                    guard CopiedDueKey.dueAtMs(of: key) <= nowMs else { return false }
                    if let after, key.elementsEqual(after) { return true }
                    scan.sawDue = true
                    guard examinedCount < examineLimit, scan.deliveries.count < limit else {
                        isCut = true
                        return false
                    }
                    examinedCount += 1
                    lastExamined = CopiedDueKey(key)
                    guard !skipped.contains(PackedTargetKey(value)) else { return true }
                    guard let entry = ProjectionKeys.parseDue(Array(key)), let target = try? TargetKey(decoding: value) else {
                        scan.unreadableCount += 1
                        return true
                    }
                    scan.deliveries.append(DueDelivery(deliveryId: entry.deliveryId, dueAtMs: entry.dueAtMs, target: target))
                    return true
                }
                if isCut {
                    if let lastExamined { resume.afterKeys[lane] = lastExamined.bytes }
                    scan.resumeAfter = resume
                    return scan
                }
                resume.afterKeys[lane] = nil
            }
            // Keys in no lane (a damaged index) are never met above: counted, as unreadable entries are.
            try snapshot.projections.scan(.due, from: [DueLane.firstByteAfterLanes]) { _, _ in
                scan.unreadableCount += 1
                return true
            }
            return scan
        }
    }

    /// Up to `limit` deliveries to `target` due at or before `nowMs`: its live ones, then those a
    /// replay reopened (`DueLane`), each lane the earliest first.
    public func dueDeliveries(to target: TargetKey, atOrBeforeMs nowMs: UInt64, limit: Int) throws -> [DueDelivery] {
        try self.read { snapshot in
            var due: [DueDelivery] = []
            for lane in DueLane.allCases where due.count < limit {
                let prefix = ProjectionKeys.targetDue(target, lane)
                try snapshot.projections.scan(.targetDue, from: prefix) { key, _ in
                    guard key.starts(with: prefix) else { return false }
                    // An entry that cannot be read (a damaged index) is stepped over, as the due scan does.
                    guard let entry = ProjectionKeys.parseTargetDue(Array(key)) else { return true }
                    guard entry.dueAtMs <= nowMs else { return false }
                    due.append(DueDelivery(deliveryId: entry.deliveryId, dueAtMs: entry.dueAtMs, target: target))
                    return due.count < limit
                }
            }
            return due
        }
    }

    /// When the earliest waiting delivery is due, in either lane; `nil` when none waits. An
    /// entry that cannot be read (a damaged index) is stepped over, as the due scan does.
    public func nextDueAtMs() throws -> UInt64? {
        try self.read { snapshot in
            try DueLane.allCases.compactMap { try snapshot.earliestDueAtMs(in: $0) }.min()
        }
    }

    /// Starts an attempt of each delivery that is still waiting and due by `nowMs` (others are
    /// skipped), journaling `AttemptStarted` before anything is sent; returns what to send.
    public func startAttempts(_ deliveryIds: [DeliveryID], nowMs: UInt64) async throws -> [AttemptJob] {
        try await self.command { writer, snapshot in
            var jobs: [AttemptJob] = []
            for deliveryId in deliveryIds {
                if let job = try StoreCommands.startAttempt(deliveryId, nowMs: nowMs, writer: &writer, snapshot: snapshot) {
                    jobs.append(job)
                }
            }
            return jobs
        }
    }

    /// Journals how an attempt ended and what follows: success, a retry, failure, or — after a
    /// 410 or too long without success — the endpoint's disabling.
    public func finishAttempt(
        _ job: AttemptJob,
        response: AttemptResponse,
        retries4xx: Bool,
        rules: DeliveryRules,
        nowMs: UInt64
    ) async throws -> AttemptConclusion {
        try await self.command { writer, snapshot in
            try StoreCommands.finishAttempt(job, response: response, retries4xx: retries4xx, rules: rules, nowMs: nowMs, writer: &writer, snapshot: snapshot)
        }
    }

    /// After a restart: every attempt journaled as started but never finished is finished as
    /// `interrupted` and its delivery is due again at once (at least once). Returns how many,
    /// and how many in-flight entries could not be read (a damaged projection, stepped over so
    /// that it stops no other delivery; `hooklog rebuild` writes the projections anew).
    @discardableResult
    public func recoverInterruptedAttempts(nowMs: UInt64) async throws -> InterruptedAttemptRecovery {
        try await self.command { writer, snapshot in
            var interrupted: [(id: DeliveryID, state: DeliveryState)] = []
            var unreadableCount = 0
            try snapshot.projections.scan(.inFlight) { key, _ in
                do {
                    guard let deliveryId = DeliveryID(bytes: Array(key)), let delivery = try snapshot.projections.delivery(deliveryId) else {
                        unreadableCount += 1
                        return true
                    }
                    interrupted.append((deliveryId, delivery))
                } catch is RecordDecodingError {
                    unreadableCount += 1
                }
                return true
            }
            for (deliveryId, delivery) in interrupted {
                guard let attempt = delivery.attempts.last, !attempt.isFinished else { continue }
                try writer.append(.attemptFinished(AttemptFinished(
                    deliveryId: deliveryId,
                    attemptNumber: attempt.number,
                    finishedAtMs: nowMs,
                    statusCode: nil,
                    latencyMs: 0,
                    errorKind: .interrupted
                )))
                try writer.append(.deliveryRetryScheduled(DeliveryRetryScheduled(deliveryId: deliveryId, dueAtMs: nowMs)))
            }
            return InterruptedAttemptRecovery(recoveredCount: interrupted.count, unreadableCount: unreadableCount)
        }
    }
}

/// What `recoverInterruptedAttempts(nowMs:)` found.
public struct InterruptedAttemptRecovery: Sendable, Equatable {
    /// Deliveries whose unfinished attempt was finished as interrupted.
    public let recoveredCount: Int
    /// In-flight entries naming no delivery that can be read.
    public let unreadableCount: Int
}

/// A target key's bytes (17 or 33) packed into words, compared without an allocation.
private struct PackedTargetKey: Hashable {
    let head: UInt64
    let words: SIMD4<UInt64>

    init(_ target: TargetKey) {
        self = target.bytes.withUnsafeBytes(Self.init)
    }

    init(_ bytes: UnsafeRawBufferPointer) {
        var words = SIMD4<UInt64>()
        var index = 0
        // The first byte (the kind) and the length in `head`, the rest eight bytes to a word.
        for start in stride(from: 1, to: bytes.count, by: 8) where index < 4 {
            var word: UInt64 = 0
            for byte in bytes[start..<min(start + 8, bytes.count)] { word = word << 8 | UInt64(byte) }
            words[index] = word
            index += 1
        }
        self.head = UInt64(bytes.first ?? 0) | UInt64(bytes.count) << 8
        self.words = words
    }
}

/// A due key copied out of a cursor's buffer (which is not to be kept past its next move)
/// without an allocation: a scan stepping over a backlog copies every key it passes.
private struct CopiedDueKey {
    private let lane: UInt8
    private let words: (UInt64, UInt64, UInt64)

    /// `key`, `ProjectionKeys.dueKeyByteCount` bytes.
    init(_ key: UnsafeRawBufferPointer) {
        self.lane = key[0]
        self.words = (
            key.loadUnaligned(fromByteOffset: 1, as: UInt64.self),
            key.loadUnaligned(fromByteOffset: 9, as: UInt64.self),
            key.loadUnaligned(fromByteOffset: 17, as: UInt64.self)
        )
    }

    var bytes: [UInt8] { [self.lane] + withUnsafeBytes(of: self.words) { Array($0) } }

    /// The due time in `key` (after its lane), read in place.
    static func dueAtMs(of key: UnsafeRawBufferPointer) -> UInt64 {
        UInt64(bigEndian: key.loadUnaligned(fromByteOffset: 1, as: UInt64.self))
    }
}
