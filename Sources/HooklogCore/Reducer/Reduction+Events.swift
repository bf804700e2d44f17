extension Reduction {
    /// The event's index entry, its place in its tenant's timeline and its idempotency key.
    mutating func apply(_ record: EventReceived) throws(ReducerError) {
        _ = try self.requireTenant(record.tenantId)
        guard try self.event(record.eventId) == nil else { throw .duplicate("event \(record.eventId)") }
        let entry = EventIndexEntry(
            tenantId: record.tenantId,
            sequence: self.sequence,
            type: record.type,
            receivedAtMs: record.receivedAtMs,
            occurredAtMs: record.occurredAtMs,
            callId: record.callId
        )
        self.put(.events, ProjectionKeys.event(record.eventId), entry.encode())
        self.put(
            .eventTimes,
            ProjectionKeys.eventTime(tenantId: record.tenantId, receivedAtMs: record.receivedAtMs, sequence: self.sequence, eventId: record.eventId)
        )
        if let idempotencyKey = record.idempotencyKey {
            let key = ProjectionKeys.idempotency(tenantId: record.tenantId, idempotencyKey: idempotencyKey)
            // The ingest command answers a repeated key with the first answer and journals nothing.
            guard try !self.exists(.idempotency, key) else { throw .duplicate("idempotency key of event \(record.eventId)") }
            self.put(.idempotency, key, IdempotencyEntry(eventId: record.eventId, sequence: self.sequence).encode())
        }
    }
}
