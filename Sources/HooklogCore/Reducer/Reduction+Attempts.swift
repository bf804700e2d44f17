extension Reduction {
    /// A waiting delivery goes in flight (out of `due`, into `inFlight`) with a new attempt.
    mutating func apply(_ record: AttemptStarted) throws(ReducerError) {
        let id = record.deliveryId
        var delivery = try self.requireDelivery(id)
        guard delivery.status.isWaiting else {
            throw .invalidTransition("delivery \(id) is \(delivery.status.name): no attempt can start")
        }
        guard record.attemptNumber == delivery.attemptCount + 1 else {
            throw .attemptMismatch("delivery \(id) starts attempt \(record.attemptNumber) after \(delivery.attemptCount)")
        }
        guard record.replayId == delivery.replayId else {
            throw .attemptMismatch("delivery \(id) is replayed for \(delivery.replayId.map { "\($0)" } ?? "no replay")")
        }
        delivery.status = .inFlight
        delivery.nextAttemptAtMs = nil
        delivery.startAttempt(atMs: record.startedAtMs, sequence: self.sequence, replayId: record.replayId)
        self.putDelivery(id, delivery)
    }

    /// The result of the attempt in flight. The delivery stays in flight until a decision record;
    /// a failure goes into its endpoint's run of failures (`EndpointState.noteFailure`).
    mutating func apply(_ record: AttemptFinished) throws(ReducerError) {
        let id = record.deliveryId
        var delivery = try self.requireDelivery(id)
        guard delivery.status == .inFlight, var attempt = delivery.attempts.last, !attempt.isFinished else {
            throw .invalidTransition("delivery \(id) has no attempt in flight")
        }
        guard attempt.number == record.attemptNumber else {
            throw .attemptMismatch("delivery \(id) finishes attempt \(record.attemptNumber) while \(attempt.number) is in flight")
        }
        attempt.finishedAtMs = record.finishedAtMs
        attempt.statusCode = record.statusCode
        attempt.errorKind = record.errorKind
        attempt.latencyMs = record.latencyMs
        attempt.finishedSequence = self.sequence
        delivery.replaceLatestAttempt(with: attempt)
        self.putDelivery(id, delivery)
        if record.countsAsEndpointFailure, let endpointId = delivery.target.endpointId {
            try self.updateHealth(of: endpointId, for: delivery.tenantId, byAttemptStartedAt: attempt.startedSequence) { $0.noteFailure(atMs: record.finishedAtMs) }
        }
    }
}
