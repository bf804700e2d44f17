public import HooklogCore

extension HooklogStore {
    /// Journals an event and plans its deliveries. A repeated idempotency key gets the first
    /// answer back and journals nothing.
    public func ingest(_ submission: EventSubmission, nowMs: UInt64) async throws -> IngestedEvent {
        let ingested = try await self.command { writer, snapshot in
            if let key = submission.idempotencyKey,
                let first = try snapshot.projections.idempotencyEntry(tenantId: submission.tenantId, key: key)
            {
                return try StoreCommands.repeatedAnswer(first, snapshot: snapshot)
            }
            // The receipt time is the batch's (never earlier than `nowMs`): batch times never go
            // backwards, so the `eventTimes` index grows in commit order and a listing's cursor
            // never passes an event that commits later.
            let receivedAtMs = max(nowMs, writer.appendedAtMs)
            return try StoreCommands.ingest(submission, nowMs: receivedAtMs, writer: &writer, snapshot: snapshot)
        }
        if !ingested.isRepeat && !ingested.deliveries.isEmpty {
            self.dueWork.signal()
        }
        return ingested
    }
}
