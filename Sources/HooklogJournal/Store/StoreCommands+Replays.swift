import HooklogCore

/// A replay is found, then journaled. Finding it reads the window's deliveries off the writer,
/// in short snapshots (`ReplaySearch`, driven by `HooklogStore`): it may look at many. Journaling
/// it, on the writer, looks at each match again as it stands then, so that what changed in
/// between (a delivery another replay re-sent meanwhile, an endpoint disabled) is neither sent
/// twice nor sent in vain. A delivery planned in between may or may not be in the replay, as if
/// the request had come before or after it.
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

    /// Where the search of one tenant's window stands: what it found, what is left of its
    /// budget, and where it goes on.
    struct ReplaySearch: Sendable {
        let tenantId: TenantID
        let criteria: ReplayCriteria
        var budget: ReplayBudget
        var matches = ReplayMatches()
        /// The last index key looked at; `nil` before the first.
        var lastKey: [UInt8]?
        var isDone = false

        init(tenantId: TenantID, _ criteria: ReplayCriteria, budget: ReplayBudget) {
            self.tenantId = tenantId
            self.criteria = criteria
            self.budget = budget
        }
    }

    /// What one delivery of a window comes to.
    fileprivate enum ReplayDecision {
        case resend, notSelected, unfinished, endpointDisabled
    }

    /// The tenants an admin's replay looks at (with an endpoint in `criteria`, only its tenant).
    static func replayTenants(_ criteria: ReplayCriteria, snapshot: StoreSnapshot) throws -> [TenantID] {
        try criteria.validate()
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

    /// Goes on with `search` in `snapshot`, looking at up to `count` more of the window's
    /// deliveries: a range scan of the tenant's (or the endpoint's) deliveries by planning time,
    /// spending the search's budget (`tooLarge` past it), each delivery once.
    static func continueSearch(_ search: inout ReplaySearch, lookingAtMost count: Int, snapshot: StoreSnapshot) throws {
        let criteria = search.criteria
        let tenantId = search.tenantId
        let table: ProjectionTable
        let prefix: [UInt8]
        var start: [UInt8]
        if let endpointId = criteria.endpointId {
            table = .endpointDeliveries
            prefix = ProjectionKeys.endpoint(endpointId)
            start = ProjectionKeys.endpointDeliveriesStart(endpointId: endpointId, sinceMs: criteria.sinceMs)
        } else {
            table = .tenantDeliveries
            prefix = ProjectionKeys.tenant(tenantId)
            start = ProjectionKeys.tenantDeliveriesStart(tenantId: tenantId, sinceMs: criteria.sinceMs)
        }
        // Just after the last key looked at: index keys only ever sort after a planned delivery's.
        if let lastKey = search.lastKey { start = lastKey + [0] }
        var endpointIsEnabled: [EndpointID: Bool] = [:]
        var lookedAt = 0
        search.isDone = true
        try snapshot.projections.scan(table, from: start) { key, _ in
            guard key.starts(with: prefix), let entry = ProjectionKeys.parsePlannedDelivery(key) else { return false }
            guard entry.plannedAtMs < criteria.untilMs else { return false }
            guard lookedAt < count else {
                search.isDone = false
                return false
            }
            lookedAt += 1
            search.lastKey = Array(key)
            try search.budget.spendScan(plannedAtMs: entry.plannedAtMs)
            if try search.matches.add(entry.deliveryId, Self.decide(entry.deliveryId, tenantId: tenantId, criteria, snapshot: snapshot, endpointIsEnabled: &endpointIsEnabled)) {
                try search.budget.spendMatch(plannedAtMs: entry.plannedAtMs)
            }
            return true
        }
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
