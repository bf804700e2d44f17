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
}
