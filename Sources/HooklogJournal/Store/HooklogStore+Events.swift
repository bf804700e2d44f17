public import HooklogCore

extension HooklogStore {
    /// Journals an event and plans its deliveries, received when its batch is appended. A
    /// repeated idempotency key with the same body gets the first answer back and journals
    /// nothing; with another body it is refused (`IdempotencyKeyReused`).
    public func ingest(_ submission: EventSubmission) async throws -> IngestedEvent {
        try await self.command { writer, snapshot in
            if let key = submission.idempotencyKey,
                let first = try snapshot.projections.event(ofIdempotencyKey: key, tenantId: submission.tenantId)
            {
                // The body says what the event is; its bytes, as a retry sends them again.
                if let taken = try snapshot.eventRecord(first.eventId), taken.rawBody != submission.rawBody {
                    throw IdempotencyKeyReused(idempotencyKey: key, creation: .event)
                }
                return try StoreCommands.repeatedAnswer(eventId: first.eventId, sequence: first.sequence, snapshot: snapshot)
            }
            return try StoreCommands.ingest(submission, writer: &writer, snapshot: snapshot)
        }
    }

    /// Whether `tenantId` has used idempotency key `key` (its event is taken already).
    public func hasUsedIdempotencyKey(_ key: String, tenantId: TenantID) throws -> Bool {
        try self.read { try $0.projections.event(ofIdempotencyKey: key, tenantId: tenantId) != nil }
    }
}
