import HooklogCore

extension StoreCommands {
    /// Journals a replay of `tenantId`'s deliveries that `criteria` matches: `ReplayRequested`, then
    /// one `DeliveryRetryScheduled` due at `nowMs`, carrying the replay's id, per match. Past
    /// `limits` it throws before appending anything.
    static func requestReplay(
        tenantId: TenantID,
        _ criteria: ReplayCriteria,
        limits: ReplayLimits,
        nowMs: UInt64,
        writer: inout LogWriter,
        snapshot: StoreSnapshot
    ) throws -> RequestedReplay {
        try Self.validate(tenantId: tenantId, criteria, snapshot: snapshot)
        var budget = ReplayBudget(limits)
        // Collected before anything is written: the scan reads the very tables the writes change.
        let matches = try Self.replayMatches(tenantId: tenantId, criteria, budget: &budget, snapshot: snapshot)
        return try Self.appendReplay(tenantId: tenantId, criteria, matches, nowMs: nowMs, writer: &writer)
    }

    /// The admin's replay: one per tenant with matches (tenants with none get none; with an
    /// endpoint in `criteria`, only its tenant is looked at), all or none. The tenants share one
    /// budget of `limits`, spent before anything is appended. `progress` hears how many tenants
    /// have been looked at of how many.
    static func requestReplaysForEveryTenant(
        _ criteria: ReplayCriteria,
        limits: ReplayLimits,
        nowMs: UInt64,
        progress: (_ doneCount: Int, _ tenantCount: Int) -> Void,
        writer: inout LogWriter,
        snapshot: StoreSnapshot
    ) throws -> RequestedReplays {
        try criteria.validate()
        var tenantIds: [TenantID] = []
        if let endpointId = criteria.endpointId {
            guard let endpoint = try snapshot.projections.endpoint(endpointId) else { throw ReplayError.unknownEndpoint(endpointId) }
            tenantIds = [endpoint.tenantId]
        } else {
            try snapshot.projections.scan(.tenants) { key, _ in
                if let tenantId = TenantID(bytes: key) { tenantIds.append(tenantId) }
                return true
            }
        }
        var budget = ReplayBudget(limits)
        var matchesByTenant: [(tenantId: TenantID, matches: ReplayMatches)] = []
        var skipped = ReplaySkips()
        for (index, tenantId) in tenantIds.enumerated() {
            let matches = try Self.replayMatches(tenantId: tenantId, criteria, budget: &budget, snapshot: snapshot)
            skipped = skipped + matches.skipped
            if !matches.deliveryIds.isEmpty { matchesByTenant.append((tenantId, matches)) }
            progress(index + 1, tenantIds.count)
        }
        let replays = try matchesByTenant.map { tenantId, matches in
            try Self.appendReplay(tenantId: tenantId, criteria, matches, nowMs: nowMs, writer: &writer)
        }
        return RequestedReplays(replays: replays, skipped: skipped)
    }

    /// Appends one replay of `matches`.
    private static func appendReplay(
        tenantId: TenantID,
        _ criteria: ReplayCriteria,
        _ matches: ReplayMatches,
        nowMs: UInt64,
        writer: inout LogWriter
    ) throws -> RequestedReplay {
        var random = IdentifierRandom()
        let replayId = ReplayID.generate(timeMs: nowMs, using: &random)
        try writer.append(.replayRequested(ReplayRequested(
            replayId: replayId,
            tenantId: tenantId,
            sinceMs: criteria.sinceMs,
            untilMs: criteria.untilMs,
            endpointId: criteria.endpointId,
            statusFilter: criteria.statusFilter,
            eventTypes: criteria.eventTypes,
            requestedAtMs: nowMs
        )))
        for deliveryId in matches.deliveryIds {
            try writer.append(.deliveryRetryScheduled(DeliveryRetryScheduled(deliveryId: deliveryId, dueAtMs: nowMs, replayId: replayId)))
        }
        return RequestedReplay(replayId: replayId, tenantId: tenantId, matched: matches.deliveryIds.count, skipped: matches.skipped)
    }

    /// Throws unless the criteria hold (`ReplayCriteria.validate`), the tenant exists and the
    /// endpoint, if any, is one of the tenant's.
    static func validate(tenantId: TenantID, _ criteria: ReplayCriteria, snapshot: StoreSnapshot) throws {
        try criteria.validate()
        guard try snapshot.projections.tenant(tenantId) != nil else { throw ReplayError.unknownTenant(tenantId) }
        if let endpointId = criteria.endpointId {
            guard try snapshot.projections.endpoint(endpointId, ownedBy: tenantId) != nil else { throw ReplayError.unknownEndpoint(endpointId) }
        }
    }

    /// A tenant's deliveries to re-send, and those left alone.
    struct ReplayMatches {
        var deliveryIds: [DeliveryID] = []
        var skipped = ReplaySkips()
    }

    /// The deliveries of `tenantId` that `criteria` matches, each once, in planning order: a range
    /// scan of the tenant's (or the endpoint's) deliveries by planning time, spending `budget`
    /// (`tooLarge` past it).
    static func replayMatches(tenantId: TenantID, _ criteria: ReplayCriteria, budget: inout ReplayBudget, snapshot: StoreSnapshot) throws -> ReplayMatches {
        let table: ProjectionTable
        let prefix: [UInt8]
        let start: [UInt8]
        if let endpointId = criteria.endpointId {
            table = .endpointDeliveries
            prefix = ProjectionKeys.endpoint(endpointId)
            start = ProjectionKeys.endpointDeliveriesStart(endpointId: endpointId, sinceMs: criteria.sinceMs)
        } else {
            table = .tenantDeliveries
            prefix = ProjectionKeys.tenant(tenantId)
            start = ProjectionKeys.tenantDeliveriesStart(tenantId: tenantId, sinceMs: criteria.sinceMs)
        }
        var endpointIsEnabled: [EndpointID: Bool] = [:]
        var matches = ReplayMatches()
        try snapshot.projections.scan(table, from: start) { key, _ in
            guard key.starts(with: prefix), let entry = ProjectionKeys.parsePlannedDelivery(key) else { return false }
            guard entry.plannedAtMs < criteria.untilMs else { return false }
            try budget.spendScan()
            let deliveryId = entry.deliveryId
            guard let delivery = try snapshot.projections.delivery(deliveryId), delivery.tenantId == tenantId else { return true }
            switch try criteria.verdict(on: delivery, eventType: try snapshot.projections.event(delivery.eventId)?.type) {
            case .notSelected:
                return true
            case .unfinished:
                matches.skipped.unfinishedCount += 1
                return true
            case .resend:
                break
            }
            if let endpointId = delivery.target.endpointId {
                let isEnabled = try endpointIsEnabled[endpointId] ?? (try snapshot.projections.endpoint(endpointId, ownedBy: tenantId)?.status == .enabled)
                endpointIsEnabled[endpointId] = isEnabled
                guard isEnabled else {
                    matches.skipped.endpointDisabledCount += 1
                    return true
                }
            }
            try budget.spendMatch()
            matches.deliveryIds.append(deliveryId)
            return true
        }
        return matches
    }
}
