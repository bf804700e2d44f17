public import HooklogCore

extension HooklogStore {
    /// The deliveries due at or before `nowMs`, earliest first (after `position`, if given), at
    /// most `limit`.
    public func dueDeliveries(atOrBeforeMs nowMs: UInt64, limit: Int, after position: DuePosition? = nil) throws -> [DueDelivery] {
        try self.read { snapshot in
            var due: [DueDelivery] = []
            try snapshot.projections.scan(.due, from: position?.key ?? []) { key, value in
                let key = Array(key)
                guard let entry = ProjectionKeys.parseDue(key), entry.dueAtMs <= nowMs else { return false }
                if key == position?.key { return true }
                due.append(DueDelivery(deliveryId: entry.deliveryId, dueAtMs: entry.dueAtMs, target: try TargetKey(decoding: value)))
                return due.count < limit
            }
            return due
        }
    }

    /// Up to `limit` deliveries to `target` due at or before `nowMs`, the earliest first.
    public func dueDeliveries(to target: TargetKey, atOrBeforeMs nowMs: UInt64, limit: Int) throws -> [DueDelivery] {
        try self.read { snapshot in
            var due: [DueDelivery] = []
            try snapshot.projections.scan(.targetDue, from: target.bytes) { key, _ in
                guard key.starts(with: target.bytes), let entry = ProjectionKeys.parseTargetDue(Array(key)), entry.dueAtMs <= nowMs else { return false }
                due.append(DueDelivery(deliveryId: entry.deliveryId, dueAtMs: entry.dueAtMs, target: target))
                return due.count < limit
            }
            return due
        }
    }

    /// When the earliest waiting delivery is due; `nil` when none waits.
    public func nextDueAtMs() throws -> UInt64? {
        try self.read { snapshot in
            var next: UInt64?
            try snapshot.projections.scan(.due) { key, _ in
                next = ProjectionKeys.parseDue(Array(key))?.dueAtMs
                return false
            }
            return next
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
    /// `interrupted` and its delivery is due again at once (at least once). Returns how many.
    @discardableResult
    public func recoverInterruptedAttempts(nowMs: UInt64) async throws -> Int {
        try await self.command { writer, snapshot in
            var interrupted: [(id: DeliveryID, state: DeliveryState)] = []
            try snapshot.projections.scan(.inFlight) { key, _ in
                if let deliveryId = DeliveryID(bytes: Array(key)), let delivery = try snapshot.projections.delivery(deliveryId) {
                    interrupted.append((deliveryId, delivery))
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
            return interrupted.count
        }
    }
}
