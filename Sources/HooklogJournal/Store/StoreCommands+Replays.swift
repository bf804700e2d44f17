import HooklogCore

extension StoreCommands {
    /// Journals a replay of `tenantId`'s deliveries that `criteria` matches: `ReplayRequested`, then
    /// one `DeliveryRetryScheduled` due at `nowMs`, carrying the replay's id, per match. With
    /// `skippingEmpty`, a replay that matches nothing is not journaled and `nil` comes back.
    static func requestReplay(
        tenantId: TenantID,
        _ criteria: ReplayCriteria,
        limits: ReplayLimits,
        nowMs: UInt64,
        skippingEmpty: Bool,
        writer: inout LogWriter,
        snapshot: StoreSnapshot
    ) throws -> RequestedReplay? {
        try Self.validate(tenantId: tenantId, criteria, snapshot: snapshot)
        // Collected before anything is written: the scan reads the very tables the writes change.
        let matches = try Self.replayMatches(tenantId: tenantId, criteria, limits: limits, snapshot: snapshot)
        if matches.isEmpty && skippingEmpty { return nil }
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
        for deliveryId in matches {
            try writer.append(.deliveryRetryScheduled(DeliveryRetryScheduled(deliveryId: deliveryId, dueAtMs: nowMs, replayId: replayId)))
        }
        return RequestedReplay(replayId: replayId, tenantId: tenantId, matched: matches.count)
    }

    /// Throws unless the window holds an instant, the tenant exists and the endpoint, if any, is
    /// one of the tenant's.
    static func validate(tenantId: TenantID, _ criteria: ReplayCriteria, snapshot: StoreSnapshot) throws {
        guard criteria.sinceMs < criteria.untilMs else {
            throw ReplayError.emptyWindow(sinceMs: criteria.sinceMs, untilMs: criteria.untilMs)
        }
        guard try snapshot.projections.tenant(tenantId) != nil else { throw ReplayError.unknownTenant(tenantId) }
        if let endpointId = criteria.endpointId {
            guard let endpoint = try snapshot.projections.endpoint(endpointId), endpoint.tenantId == tenantId else {
                throw ReplayError.unknownEndpoint(endpointId)
            }
        }
    }

    /// The deliveries of `tenantId` that `criteria` matches, each once, in planning order: a range
    /// scan of the tenant's (or the endpoint's) deliveries by planning time. Throws `tooLarge`
    /// past `limits`.
    static func replayMatches(tenantId: TenantID, _ criteria: ReplayCriteria, limits: ReplayLimits, snapshot: StoreSnapshot) throws -> [DeliveryID] {
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
        var matches: [DeliveryID] = []
        var scannedCount = 0
        try snapshot.projections.scan(table, from: start) { key, _ in
            guard key.starts(with: prefix), let entry = ProjectionKeys.parsePlannedDelivery(key) else { return false }
            guard entry.plannedAtMs < criteria.untilMs else { return false }
            scannedCount += 1
            guard scannedCount <= limits.maxScannedCount else { throw ReplayError.tooLarge(limits: limits) }
            let deliveryId = entry.deliveryId
            guard let delivery = try snapshot.projections.delivery(deliveryId),
                delivery.tenantId == tenantId,
                try criteria.matches(delivery, eventType: try snapshot.projections.event(delivery.eventId)?.type)
            else { return true }
            if let endpointId = delivery.target.endpointId {
                let isEnabled = try endpointIsEnabled[endpointId] ?? (try snapshot.projections.endpoint(endpointId)?.status == .enabled)
                endpointIsEnabled[endpointId] = isEnabled
                guard isEnabled else { return true }
            }
            matches.append(deliveryId)
            guard matches.count <= limits.maxMatchedCount else { throw ReplayError.tooLarge(limits: limits) }
            return true
        }
        return matches
    }
}
