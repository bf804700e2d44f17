public import HooklogCore

extension HooklogStore {
    /// Re-sends a window of `tenantId`'s deliveries: journals `ReplayRequested` and, in the same
    /// command, a `DeliveryRetryScheduled` due at `nowMs` with the replay's id for every delivery
    /// that matches (see `ReplayCriteria`), so each goes out once more with its event's id and its
    /// attempts marked with the replay. A replay that matches nothing is journaled all the same,
    /// so that its id can be read back; one past `limits` is refused (`ReplayError.tooLarge`).
    public func requestReplay(
        tenantId: TenantID,
        sinceMs: UInt64,
        untilMs: UInt64,
        endpointId: EndpointID? = nil,
        statusFilter: ReplayStatusFilter,
        eventTypes: [String]? = nil,
        nowMs: UInt64
    ) async throws -> RequestedReplay {
        let criteria = ReplayCriteria(sinceMs: sinceMs, untilMs: untilMs, endpointId: endpointId, statusFilter: statusFilter, eventTypes: eventTypes)
        return try await self.requestReplay(tenantId: tenantId, criteria, nowMs: nowMs)
    }

    /// Re-sends the deliveries of `tenantId` that `criteria` matches; see `requestReplay(tenantId:sinceMs:…)`.
    public func requestReplay(
        tenantId: TenantID,
        _ criteria: ReplayCriteria,
        limits: ReplayLimits = ReplayLimits(),
        nowMs: UInt64
    ) async throws -> RequestedReplay {
        // Sized in the command itself: past the limits it throws before appending anything, and
        // the limits bound how long it holds the writer.
        try await self.command { writer, snapshot in
            try StoreCommands.requestReplay(tenantId: tenantId, criteria, limits: limits, nowMs: nowMs, writer: &writer, snapshot: snapshot)
        }
    }

    /// The admin's (and `hooklog resend`'s) replay across tenants: one replay per tenant with
    /// matching deliveries; tenants with none get none. With an endpoint in `criteria`, only that
    /// endpoint's tenant is looked at. One command, all or nothing: past `limits`, counted over
    /// every tenant, nothing is journaled. `progress` hears how many tenants have been looked at
    /// of how many (on the writer's thread).
    public func requestReplaysForEveryTenant(
        _ criteria: ReplayCriteria,
        limits: ReplayLimits = ReplayLimits(),
        nowMs: UInt64,
        progress: @escaping @Sendable (_ doneCount: Int, _ tenantCount: Int) -> Void = { _, _ in }
    ) async throws -> RequestedReplays {
        try await self.command { writer, snapshot in
            try StoreCommands.requestReplaysForEveryTenant(criteria, limits: limits, nowMs: nowMs, progress: progress, writer: &writer, snapshot: snapshot)
        }
    }

    /// A replay and its progress, or `nil` when there is no such replay.
    public func replay(_ id: ReplayID) throws -> ReplayState? {
        try self.read { try $0.projections.replay(id) }
    }
}
