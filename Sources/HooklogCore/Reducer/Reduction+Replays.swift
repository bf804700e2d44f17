extension Reduction {
    /// A new replay with nothing scheduled yet; the deliveries it matched follow as
    /// `DeliveryRetryScheduled` records carrying its id.
    mutating func apply(_ record: ReplayRequested) throws(ReducerError) {
        _ = try self.requireTenant(record.tenantId)
        guard try self.replay(record.replayId) == nil else { throw .duplicate("replay \(record.replayId)") }
        let replay = ReplayState(
            tenantId: record.tenantId,
            sinceMs: record.sinceMs,
            untilMs: record.untilMs,
            endpointId: record.endpointId,
            statusFilter: record.statusFilter,
            eventTypes: record.eventTypes,
            requestedAtMs: record.requestedAtMs
        )
        self.putReplay(record.replayId, replay)
    }

    /// The request's idempotency key is taken; this record answers a repeat of the request.
    mutating func apply(_ record: ReplayAnswered) throws(ReducerError) {
        if let tenantId = record.tenantId { _ = try self.requireTenant(tenantId) }
        for replayId in record.replayIds {
            guard let replay = try self.replay(replayId) else { throw .unknownReplay(replayId) }
            if let tenantId = record.tenantId, replay.tenantId != tenantId {
                throw .tenantMismatch("replay \(replayId) answers tenant \(tenantId)'s request")
            }
        }
        let key = IdempotencyEntry.Key(replaysOf: record.tenantId, idempotencyKey: record.idempotencyKey)
        // The replay command answers a repeated key with the first answer and journals nothing.
        guard try self.idempotencyEntry(key) == nil else { throw .duplicate("idempotency key of a replay request") }
        self.putIdempotencyEntry(key, IdempotencyEntry(.replay, sequence: self.sequence))
    }
}
