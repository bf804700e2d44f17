import HooklogCore

/// A replay is found, then journaled. Finding it reads the window's deliveries in a snapshot, off
/// the writer: it may look at many. Journaling it, on the writer, looks at each match again as it
/// stands then, so that what changed in between (a delivery another replay re-sent meanwhile, an
/// endpoint disabled) is neither sent twice nor sent in vain. A delivery planned in between is
/// not in the replay: it is as if the request came at the snapshot.
extension StoreCommands {
    /// One tenant's deliveries to re-send, and those left alone.
    struct ReplayMatches: Sendable {
        var deliveryIds: [DeliveryID] = []
        var skipped = ReplaySkips()
    }

    /// Every tenant's matches found for the admin's replay: the tenants with matches, in order,
    /// and what every tenant's window skipped.
    struct TenantsReplayMatches: Sendable {
        var byTenant: [(tenantId: TenantID, matches: ReplayMatches)] = []
        var skipped = ReplaySkips()
    }

    /// What one delivery of a window comes to.
    fileprivate enum ReplayDecision {
        case resend, notSelected, unfinished, endpointDisabled
    }

    /// Finds the deliveries of `tenantId` that `criteria` matches, spending one budget of `limits`
    /// (`tooLarge` past it). Throws unless the criteria hold and name the tenant's own endpoint.
    static func findReplay(tenantId: TenantID, _ criteria: ReplayCriteria, limits: ReplayLimits, snapshot: StoreSnapshot) throws -> ReplayMatches {
        try Self.validate(tenantId: tenantId, criteria, snapshot: snapshot)
        var budget = ReplayBudget(limits)
        return try Self.replayMatches(tenantId: tenantId, criteria, budget: &budget, snapshot: snapshot)
    }

    /// Finds the admin's replay across tenants (with an endpoint in `criteria`, only its tenant is
    /// looked at). The tenants share one budget of `limits`. `progress` hears how many tenants
    /// have been looked at of how many.
    static func findReplaysForEveryTenant(
        _ criteria: ReplayCriteria,
        limits: ReplayLimits,
        progress: (_ doneCount: Int, _ tenantCount: Int) -> Void,
        snapshot: StoreSnapshot
    ) throws -> TenantsReplayMatches {
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
        var found = TenantsReplayMatches()
        for (index, tenantId) in tenantIds.enumerated() {
            let matches = try Self.replayMatches(tenantId: tenantId, criteria, budget: &budget, snapshot: snapshot)
            found.skipped = found.skipped + matches.skipped
            if !matches.deliveryIds.isEmpty { found.byTenant.append((tenantId, matches)) }
            progress(index + 1, tenantIds.count)
        }
        return found
    }

    /// Journals a replay of `found`, found earlier for `tenantId`: `ReplayRequested`, then one
    /// `DeliveryRetryScheduled` due at `nowMs`, carrying the replay's id, per match that still
    /// holds. A replay left with no match is journaled all the same.
    static func appendReplay(
        tenantId: TenantID,
        _ criteria: ReplayCriteria,
        found: ReplayMatches,
        nowMs: UInt64,
        writer: inout LogWriter,
        snapshot: StoreSnapshot
    ) throws -> RequestedReplay {
        try Self.validate(tenantId: tenantId, criteria, snapshot: snapshot)
        // Checked before anything is written: the checks read the very rows the writes change.
        var matches = try Self.stillMatching(found.deliveryIds, tenantId: tenantId, criteria, snapshot: snapshot)
        matches.skipped = found.skipped + matches.skipped
        return try Self.appendReplay(tenantId: tenantId, criteria, matches, nowMs: nowMs, writer: &writer)
    }

    /// Journals the admin's replay found earlier: one replay per tenant with a match that still
    /// holds, all in one command.
    static func appendReplays(
        _ found: TenantsReplayMatches,
        _ criteria: ReplayCriteria,
        nowMs: UInt64,
        writer: inout LogWriter,
        snapshot: StoreSnapshot
    ) throws -> RequestedReplays {
        var skipped = found.skipped
        var stillMatching: [(tenantId: TenantID, matches: ReplayMatches)] = []
        for (tenantId, matches) in found.byTenant {
            var checked = try Self.stillMatching(matches.deliveryIds, tenantId: tenantId, criteria, snapshot: snapshot)
            skipped = skipped + checked.skipped
            checked.skipped = matches.skipped + checked.skipped
            if !checked.deliveryIds.isEmpty { stillMatching.append((tenantId, checked)) }
        }
        let replays = try stillMatching.map { tenantId, matches in
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

    /// The deliveries of `tenantId` that `criteria` matches, each once, in planning order: a range
    /// scan of the tenant's (or the endpoint's) deliveries by planning time, spending `budget`
    /// (`tooLarge` past it).
    private static func replayMatches(tenantId: TenantID, _ criteria: ReplayCriteria, budget: inout ReplayBudget, snapshot: StoreSnapshot) throws -> ReplayMatches {
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
            if try matches.add(entry.deliveryId, Self.decide(entry.deliveryId, tenantId: tenantId, criteria, snapshot: snapshot, endpointIsEnabled: &endpointIsEnabled)) {
                try budget.spendMatch()
            }
            return true
        }
        return matches
    }

    /// The deliveries of `deliveryIds`, found to match earlier, that still do in `snapshot`; its
    /// skips are those that no longer do because they are unfinished again (another replay
    /// re-sent them) or their endpoint was disabled meanwhile.
    private static func stillMatching(_ deliveryIds: [DeliveryID], tenantId: TenantID, _ criteria: ReplayCriteria, snapshot: StoreSnapshot) throws -> ReplayMatches {
        var endpointIsEnabled: [EndpointID: Bool] = [:]
        var matches = ReplayMatches()
        for deliveryId in deliveryIds {
            _ = try matches.add(deliveryId, Self.decide(deliveryId, tenantId: tenantId, criteria, snapshot: snapshot, endpointIsEnabled: &endpointIsEnabled))
        }
        return matches
    }

    /// What `criteria` makes of one delivery of `tenantId`'s, as `snapshot` has it.
    private static func decide(
        _ deliveryId: DeliveryID,
        tenantId: TenantID,
        _ criteria: ReplayCriteria,
        snapshot: StoreSnapshot,
        endpointIsEnabled: inout [EndpointID: Bool]
    ) throws -> ReplayDecision {
        guard let delivery = try snapshot.projections.delivery(deliveryId), delivery.tenantId == tenantId else { return .notSelected }
        switch try criteria.verdict(on: delivery, eventType: try snapshot.projections.event(delivery.eventId)?.type) {
        case .notSelected: return .notSelected
        case .unfinished: return .unfinished
        case .resend: break
        }
        if let endpointId = delivery.target.endpointId {
            let isEnabled = try endpointIsEnabled[endpointId] ?? (try snapshot.projections.endpoint(endpointId, ownedBy: tenantId)?.status == .enabled)
            endpointIsEnabled[endpointId] = isEnabled
            guard isEnabled else { return .endpointDisabled }
        }
        return .resend
    }
}

extension StoreCommands.ReplayMatches {
    /// Notes what `decision` makes of `deliveryId`; returns whether it is to be re-sent.
    fileprivate mutating func add(_ deliveryId: DeliveryID, _ decision: StoreCommands.ReplayDecision) -> Bool {
        switch decision {
        case .resend: self.deliveryIds.append(deliveryId)
        case .unfinished: self.skipped.unfinishedCount += 1
        case .endpointDisabled: self.skipped.endpointDisabledCount += 1
        case .notSelected: break
        }
        return decision == .resend
    }
}
