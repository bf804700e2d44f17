extension Reduction {
    /// A new pending delivery, due at once (`plannedAtMs`).
    mutating func apply(_ record: DeliveryPlanned) throws(ReducerError) {
        guard try self.delivery(record.deliveryId) == nil else { throw .duplicate("delivery \(record.deliveryId)") }
        guard let event = try self.event(record.eventId) else { throw .unknownEvent(record.eventId) }
        guard event.tenantId == record.tenantId else {
            throw .tenantMismatch("delivery \(record.deliveryId) of tenant \(record.tenantId) for event of \(event.tenantId)")
        }
        if case .endpoint(let endpointId) = record.target {
            let endpoint = try self.requireEndpoint(endpointId)
            guard endpoint.tenantId == record.tenantId else {
                throw .tenantMismatch("delivery \(record.deliveryId) of tenant \(record.tenantId) to endpoint of \(endpoint.tenantId)")
            }
        }
        let delivery = DeliveryState(
            tenantId: record.tenantId,
            eventId: record.eventId,
            target: record.target,
            status: .pending,
            plannedAtMs: record.plannedAtMs,
            plannedSequence: self.sequence,
            nextAttemptAtMs: record.plannedAtMs
        )
        self.putDelivery(record.deliveryId, delivery)
    }

    /// Due (again) at `dueAtMs`: a retry after a finished attempt, a new time for a waiting
    /// delivery, or the reopening of a finished one (a manual retry, or a replay's). A manual
    /// retry's idempotency key is taken for the delivery.
    mutating func apply(_ record: DeliveryRetryScheduled) throws(ReducerError) {
        let id = record.deliveryId
        var delivery = try self.requireDelivery(id)
        if let idempotencyKey = record.idempotencyKey {
            try self.takeRetryKey(idempotencyKey, of: record, delivery)
        }
        switch delivery.status {
        case .inFlight:
            try Self.requireDecidable(delivery, id)
            try Self.requireNoReplay(record)
            delivery.status = .retrying
        case .pending, .retrying:
            try Self.requireNoReplay(record)
        case .succeeded, .failed, .cancelled:
            if let replayId = record.replayId {
                var replay = try self.requireReplay(replayId)
                guard replay.tenantId == delivery.tenantId else {
                    throw .tenantMismatch("replay \(replayId) of \(replay.tenantId) reopens delivery \(id) of \(delivery.tenantId)")
                }
                replay.scheduledCount += 1
                self.putReplay(replayId, replay)
            }
            delivery.status = .retrying
            delivery.replayId = record.replayId
            delivery.reopen()
            delivery.finishedAtMs = nil
            delivery.failureReason = nil
            delivery.cancelReason = nil
        }
        delivery.nextAttemptAtMs = record.dueAtMs
        self.putDelivery(id, delivery)
    }

    /// Takes a manual retry's idempotency key for its delivery. A retry that comes with a key
    /// another retry took takes it over: the retry command answers a repeat itself and journals
    /// nothing, and lets a key go once its first answer's window has passed (a window the log
    /// does not hold, so that it may change). The command never retries a delivery in flight,
    /// and a replay's reopening carries no key.
    private mutating func takeRetryKey(_ idempotencyKey: String, of record: DeliveryRetryScheduled, _ delivery: DeliveryState) throws(ReducerError) {
        guard record.replayId == nil, delivery.status != .inFlight else {
            throw .invalidTransition("delivery \(record.deliveryId) is \(delivery.status.name)\(record.replayId == nil ? "" : " and reopened by a replay"): a manual retry with an idempotency key cannot reschedule it")
        }
        let key = IdempotencyEntry.Key(retriesOf: delivery.tenantId, idempotencyKey: idempotencyKey)
        if let taken = try self.idempotencyEntry(key) {
            guard case .retry = taken.use else { throw .corruptProjection }
        }
        self.putIdempotencyEntry(key, IdempotencyEntry(.retry(record.deliveryId), sequence: self.sequence))
    }

    /// Acknowledged: finished, and its endpoint is healthy again.
    mutating func apply(_ record: DeliverySucceeded) throws(ReducerError) {
        var delivery = try self.requireDelivery(record.deliveryId)
        try self.finish(&delivery, record.deliveryId, as: .succeeded, atMs: record.succeededAtMs)
        if let endpointId = delivery.target.endpointId, let attempt = delivery.attempts.last {
            try self.updateHealth(of: endpointId, for: delivery.tenantId, byAttemptStartedAt: attempt.startedSequence) { $0.noteSuccess(atMs: record.succeededAtMs) }
        }
        self.putDelivery(record.deliveryId, delivery)
    }

    /// Given up after its last attempt.
    mutating func apply(_ record: DeliveryFailed) throws(ReducerError) {
        var delivery = try self.requireDelivery(record.deliveryId)
        try self.finish(&delivery, record.deliveryId, as: .failed, atMs: record.failedAtMs)
        delivery.failureReason = record.reason
        self.putDelivery(record.deliveryId, delivery)
    }

    /// Stopped: while waiting, or in flight once its attempt has finished.
    mutating func apply(_ record: DeliveryCancelled) throws(ReducerError) {
        var delivery = try self.requireDelivery(record.deliveryId)
        try self.finish(&delivery, record.deliveryId, as: .cancelled, atMs: record.cancelledAtMs)
        delivery.cancelReason = try self.cancelReason(of: record, to: delivery)
        self.putDelivery(record.deliveryId, delivery)
    }

    /// The record's reason; a log written before `endpointFailing` existed says
    /// `endpointDisabled` for Hooklog's own disabling too, told apart here by the reason the
    /// endpoint keeps (its `EndpointDisabled` comes before the cancellations it causes).
    private mutating func cancelReason(of record: DeliveryCancelled, to delivery: DeliveryState) throws(ReducerError) -> DeliveryCancelReason {
        guard record.reason == .endpointDisabled, let endpointId = delivery.target.endpointId,
            case .disabled(let reason, _)? = try self.endpoint(endpointId, ownedBy: delivery.tenantId)?.status
        else { return record.reason }
        return .disabling(reason)
    }

    /// Moves a waiting or decided in-flight delivery to a finished status (and so out of `due`
    /// or `inFlight`), and counts it for its replay.
    private mutating func finish(_ delivery: inout DeliveryState, _ id: DeliveryID, as status: DeliveryStatus, atMs: UInt64) throws(ReducerError) {
        switch delivery.status {
        case .inFlight:
            try Self.requireDecidable(delivery, id)
        case .pending, .retrying:
            // Only a cancellation may finish a delivery that has not been tried since it was due.
            guard status == .cancelled else {
                throw .invalidTransition("delivery \(id) is \(delivery.status.name), not in flight: it cannot become \(status.name)")
            }
        case .succeeded, .failed, .cancelled:
            throw .invalidTransition("delivery \(id) is already \(delivery.status.name)")
        }
        if let replayId = delivery.replayId {
            var replay = try self.requireReplay(replayId)
            switch status {
            case .succeeded: replay.succeededCount += 1
            case .failed: replay.failedCount += 1
            default: replay.cancelledCount += 1
            }
            self.putReplay(replayId, replay)
        }
        delivery.status = status
        delivery.finishedAtMs = atMs
        delivery.nextAttemptAtMs = nil
        delivery.replayId = nil
    }

    /// A decision about an in-flight delivery needs the result of its attempt first.
    private static func requireDecidable(_ delivery: DeliveryState, _ id: DeliveryID) throws(ReducerError) {
        guard let last = delivery.attempts.last, last.isFinished else {
            throw .invalidTransition("delivery \(id) has an attempt in flight without a result")
        }
    }

    private static func requireNoReplay(_ record: DeliveryRetryScheduled) throws(ReducerError) {
        guard record.replayId == nil else {
            throw .invalidTransition("replay \(record.replayId!) can only reopen a finished delivery, not \(record.deliveryId)")
        }
    }
}
