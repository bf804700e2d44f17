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
            try StoreCommands.requestReplay(tenantId: tenantId, criteria, limits: limits, nowMs: nowMs, skippingEmpty: false, writer: &writer, snapshot: snapshot)!
        }
    }

    /// The admin's (and `hooklog resend`'s) replay across tenants: one replay per tenant with
    /// matching deliveries, each its own command; tenants with none get no replay. With an
    /// endpoint in `criteria`, only that endpoint's tenant is looked at. If any tenant's replay
    /// would be past `limits` in a snapshot taken first, none is journaled (one that grows past
    /// them in between stops the run there, with the earlier tenants' replays journaled).
    /// `progress` hears how many tenants are done of how many.
    public func requestReplaysForEveryTenant(
        _ criteria: ReplayCriteria,
        limits: ReplayLimits = ReplayLimits(),
        nowMs: UInt64,
        progress: @Sendable (_ doneCount: Int, _ tenantCount: Int) -> Void = { _, _ in }
    ) async throws -> [RequestedReplay] {
        guard criteria.sinceMs < criteria.untilMs else {
            throw ReplayError.emptyWindow(sinceMs: criteria.sinceMs, untilMs: criteria.untilMs)
        }
        let tenantIds: [TenantID] = try self.read { snapshot in
            if let endpointId = criteria.endpointId {
                guard let endpoint = try snapshot.projections.endpoint(endpointId) else { throw ReplayError.unknownEndpoint(endpointId) }
                return [endpoint.tenantId]
            }
            var tenantIds: [TenantID] = []
            try snapshot.projections.scan(.tenants) { key, _ in
                if let tenantId = TenantID(bytes: key) { tenantIds.append(tenantId) }
                return true
            }
            return tenantIds
        }
        try self.read { snapshot in
            for tenantId in tenantIds {
                _ = try StoreCommands.replayMatches(tenantId: tenantId, criteria, limits: limits, snapshot: snapshot)
            }
        }
        var replays: [RequestedReplay] = []
        for (index, tenantId) in tenantIds.enumerated() {
            let replay = try await self.command { writer, snapshot in
                try StoreCommands.requestReplay(tenantId: tenantId, criteria, limits: limits, nowMs: nowMs, skippingEmpty: true, writer: &writer, snapshot: snapshot)
            }
            if let replay { replays.append(replay) }
            progress(index + 1, tenantIds.count)
        }
        return replays
    }

    /// A replay and its progress, or `nil` when there is no such replay.
    public func replay(_ id: ReplayID) throws -> ReplayState? {
        try self.read { try $0.projections.replay(id) }
    }
}
