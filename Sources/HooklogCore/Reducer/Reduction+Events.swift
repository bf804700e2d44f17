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
        self.putEvent(record.eventId, entry)
        if let idempotencyKey = record.idempotencyKey {
            let key = IdempotencyEntry.Key(tenantId: record.tenantId, idempotencyKey: idempotencyKey)
            // The ingest command answers a repeated key with the first answer and journals nothing.
            guard try self.idempotencyEntry(key) == nil else { throw .duplicate("idempotency key of event \(record.eventId)") }
            self.putIdempotencyEntry(key, IdempotencyEntry(.event(record.eventId), sequence: self.sequence))
        }
    }
}
