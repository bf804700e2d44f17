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
    ///
    /// The window is searched in a snapshot on a thread of its own, not the writer's: past
    /// `limits` it throws before anything is appended, and ingestion goes on meanwhile. The writer
    /// then re-checks each match alone (see `StoreCommands.findReplay`).
    public func requestReplay(
        tenantId: TenantID,
        _ criteria: ReplayCriteria,
        limits: ReplayLimits = ReplayLimits(),
        nowMs: UInt64
    ) async throws -> RequestedReplay {
        let found = try await self.readOnItsOwnThread { snapshot in
            try StoreCommands.findReplay(tenantId: tenantId, criteria, limits: limits, snapshot: snapshot)
        }
        return try await self.command { writer, snapshot in
            try StoreCommands.appendReplay(tenantId: tenantId, criteria, found: found, nowMs: nowMs, writer: &writer, snapshot: snapshot)
        }
    }

    /// The admin's (and `hooklog resend`'s) replay across tenants: one replay per tenant with
    /// matching deliveries; tenants with none get none. With an endpoint in `criteria`, only that
    /// endpoint's tenant is looked at. Found as one tenant's is, with one budget of `limits`
    /// counted over every tenant; journaled in one command, all or nothing. `progress` hears how
    /// many tenants have been looked at of how many (on the searching thread).
    public func requestReplaysForEveryTenant(
        _ criteria: ReplayCriteria,
        limits: ReplayLimits = ReplayLimits(),
        nowMs: UInt64,
        progress: @escaping @Sendable (_ doneCount: Int, _ tenantCount: Int) -> Void = { _, _ in }
    ) async throws -> RequestedReplays {
        let found = try await self.readOnItsOwnThread { snapshot in
            try StoreCommands.findReplaysForEveryTenant(criteria, limits: limits, progress: progress, snapshot: snapshot)
        }
        return try await self.command { writer, snapshot in
            try StoreCommands.appendReplays(found, criteria, nowMs: nowMs, writer: &writer, snapshot: snapshot)
        }
    }

    /// A replay and its progress, or `nil` when there is no such replay.
    public func replay(_ id: ReplayID) throws -> ReplayState? {
        try self.read { try $0.projections.replay(id) }
    }
}
