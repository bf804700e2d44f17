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
        let requested = try await self.requestReplays(of: tenantId, criteria, limits: limits, nowMs: nowMs)
        guard let replay = requested.replays.first else { throw ReplayAnswerError(description: "a replay of one tenant's window made no replay") }
        return replay
    }

    /// The admin's (and `hooklog resend`'s) replay across tenants; see `requestReplays(of:…)`.
    public func requestReplaysForEveryTenant(
        _ criteria: ReplayCriteria,
        limits: ReplayLimits = ReplayLimits(),
        nowMs: UInt64,
        progress: @escaping @Sendable (_ doneCount: Int, _ tenantCount: Int) -> Void = { _, _ in }
    ) async throws -> RequestedReplays {
        try await self.requestReplays(of: nil, criteria, limits: limits, nowMs: nowMs, progress: progress)
    }

    /// Re-sends the deliveries `criteria` matches: `tenantId`'s (one replay, journaled even when
    /// it matches nothing), or with `tenantId` `nil` every tenant's (one replay per tenant with
    /// matches, tenants with none get none; with an endpoint in `criteria`, only that endpoint's
    /// tenant is looked at).
    ///
    /// The window is searched on a thread of its own, off the writer (`findReplay`), with one
    /// budget of `limits` counted over every tenant: past it the request throws `tooLarge`
    /// before anything is appended, and ingestion goes on meanwhile. The writer then checks each
    /// match again and journals the replays in one command, all or nothing. `progress` hears how
    /// many tenants have been searched of how many.
    ///
    /// With `idempotencyKey`, the same request the key answered before gets that answer
    /// (`isRepeat`; the skips of its window in all, none per replay) and journals nothing; another
    /// request with the key is refused (`idempotencyKeyReused`).
    public func requestReplays(
        of tenantId: TenantID?,
        _ criteria: ReplayCriteria,
        limits: ReplayLimits = ReplayLimits(),
        idempotencyKey: ReplayIdempotencyKey? = nil,
        nowMs: UInt64,
        progress: @escaping @Sendable (_ doneCount: Int, _ tenantCount: Int) -> Void = { _, _ in }
    ) async throws -> RequestedReplays {
        let requestDigest = criteria.requestDigest(tenantId: tenantId)
        guard let tenantId else {
            return try await self.answering(idempotencyKey, requestDigest: requestDigest, searchedFor: nil, nowMs: nowMs) {
                try await self.findReplaysForEveryTenant(criteria, limits: limits, progress: progress)
            } append: { found, writer, snapshot in
                try StoreCommands.appendReplays(found, criteria, nowMs: nowMs, writer: &writer, snapshot: snapshot)
            }
        }
        return try await self.answering(idempotencyKey, requestDigest: requestDigest, searchedFor: tenantId, nowMs: nowMs) {
            try await self.findReplay(tenantId: tenantId, criteria, limits: limits)
        } append: { found, writer, snapshot in
            RequestedReplays(try StoreCommands.appendReplay(tenantId: tenantId, criteria, found: found, nowMs: nowMs, writer: &writer, snapshot: snapshot))
        }
    }

    /// Finds a replay off the writer (`find`), then journals it (`append`), once per
    /// idempotency key: a key answered before gets that answer, looked up before any search and,
    /// for two requests at once, again in the writer's snapshot; a new key's answer is journaled
    /// with the replays (`ReplayAnswered`). The search waits its turn at `replaySearches`, where
    /// `tenantId` (`nil`: every tenant) has one search at a time.
    private func answering<Found: Sendable>(
        _ idempotencyKey: ReplayIdempotencyKey?,
        requestDigest: SHA256Digest,
        searchedFor tenantId: TenantID?,
        nowMs: UInt64,
        find: () async throws -> Found,
        append: @escaping @Sendable (Found, inout LogWriter, StoreSnapshot) throws -> RequestedReplays
    ) async throws -> RequestedReplays {
        let firstAnswer = { @Sendable (snapshot: StoreSnapshot) throws -> RequestedReplays? in
            guard let idempotencyKey else { return nil }
            return try StoreCommands.firstAnswer(to: idempotencyKey, requestDigest: requestDigest, snapshot: snapshot)
        }
        if let first = try self.read(firstAnswer) { return first }
        // Looked up again once its turn comes: a request asked again while the first waited in
        // line (its client gave up) gets the first's answer, and searches nothing.
        let found = try await self.replaySearches.run(for: tenantId) { () async throws -> Found? in
            if try self.read(firstAnswer) != nil { return nil }
            return try await find()
        }
        guard let found else {
            guard let first = try self.read(firstAnswer) else { throw ReplayAnswerError(description: "an answer read a moment ago is gone") }
            return first
        }
        return try await self.command { writer, snapshot in
            if let first = try firstAnswer(snapshot) { return first }
            let requested = try append(found, &writer, snapshot)
            if let idempotencyKey {
                try StoreCommands.appendAnswer(requested, to: idempotencyKey, requestDigest: requestDigest, nowMs: nowMs, writer: &writer)
            }
            return requested
        }
    }

    /// The deliveries of `tenantId` that `criteria` matches, as `requestReplay` finds them.
    func findReplay(tenantId: TenantID, _ criteria: ReplayCriteria, limits: ReplayLimits) async throws -> StoreCommands.ReplayMatches {
        try await self.onItsOwnThread { isCancelled in
            try self.read { try StoreCommands.validate(tenantId: tenantId, criteria, snapshot: $0) }
            var search = StoreCommands.ReplaySearch(tenantId: tenantId, criteria, budget: ReplayBudget(limits))
            try self.finish(&search, unless: isCancelled)
            return search.matches
        }
    }

    /// Every tenant's deliveries that `criteria` matches, as `requestReplaysForEveryTenant` finds them.
    func findReplaysForEveryTenant(
        _ criteria: ReplayCriteria,
        limits: ReplayLimits,
        progress: @escaping @Sendable (_ doneCount: Int, _ tenantCount: Int) -> Void
    ) async throws -> StoreCommands.TenantsReplayMatches {
        try await self.onItsOwnThread { isCancelled in
            let tenantIds = try self.read { try StoreCommands.replayTenants(criteria, snapshot: $0) }
            var found = StoreCommands.TenantsReplayMatches()
            var budget = ReplayBudget(limits)
            for (index, tenantId) in tenantIds.enumerated() {
                var search = StoreCommands.ReplaySearch(tenantId: tenantId, criteria, budget: budget)
                try self.finish(&search, unless: isCancelled)
                budget = search.budget
                found.skipped = found.skipped + search.matches.skipped
                if !search.matches.deliveryIds.isEmpty { found.byTenant.append((tenantId, search.matches)) }
                progress(index + 1, tenantIds.count)
            }
            return found
        }
    }

    /// How many of a window's deliveries one snapshot of a replay's search looks at.
    static let replaySearchStepCount = 16_384

    /// Runs `search` to its end, `replaySearchStepCount` deliveries per snapshot: no snapshot is
    /// held for long (a long one keeps LMDB from reusing the pages freed meanwhile, and holds up
    /// a growth of the map, and every read behind it). Throws `CancellationError` between steps
    /// once `isCancelled`.
    private func finish(_ search: inout StoreCommands.ReplaySearch, unless isCancelled: () -> Bool) throws {
        while !search.isDone {
            if isCancelled() { throw CancellationError() }
            try self.read { try StoreCommands.continueSearch(&search, lookingAtMost: Self.replaySearchStepCount, snapshot: $0) }
        }
    }

    /// A replay and its progress, or `nil` when there is no such replay.
    public func replay(_ id: ReplayID) throws -> ReplayState? {
        try self.read { try $0.projections.replay(id) }
    }
}
