public import HooklogCore

extension HooklogStore {
    /// The most index entries one listing request reads; past it a page may come back short,
    /// with a cursor to go on from (filters never make a request scan without bound).
    public static let maxScannedPerPage = 10_000
    /// The most event body bytes one page of events carries; past it the page comes back short,
    /// with a cursor, so that 100 events of a megabyte each are not one answer.
    public static let maxEventBytesPerPage = 4 << 20

    /// The tenant whose API key hashes to `apiKeyHash`; the stored hash is compared in constant time.
    public func tenantId(authenticatedBy apiKeyHash: SHA256Digest) throws -> TenantID? {
        try self.read { snapshot in
            guard let tenantId = try snapshot.projections.tenantId(forAPIKeyHash: apiKeyHash),
                let tenant = try snapshot.projections.tenant(tenantId),
                ConstantTime.equals(tenant.apiKeyHash.bytes, apiKeyHash.bytes)
            else { return nil }
            return tenantId
        }
    }

    /// The tenant `tenantId`, if there is one.
    public func tenant(_ tenantId: TenantID) throws -> TenantState? {
        try self.read { try $0.projections.tenant(tenantId) }
    }

    /// The endpoint `endpointId` if it belongs to `tenantId`.
    public func endpoint(_ endpointId: EndpointID, tenantId: TenantID) throws -> EndpointState? {
        try self.read { snapshot in
            try snapshot.projections.endpoint(endpointId, ownedBy: tenantId)
        }
    }

    /// A tenant's endpoints, oldest first.
    public func listEndpoints(tenantId: TenantID, after cursor: PageCursor?, limit: Int) throws -> Page<StoredEndpoint> {
        try self.read { snapshot in
            let prefix = ProjectionKeys.tenant(tenantId)
            return try snapshot.page(of: .tenantEndpoints, prefix: prefix, start: prefix, end: nil, after: cursor, limit: limit) { key in
                guard let id = ProjectionKeys.trailingID(of: key, as: EndpointID.self),
                    let state = try snapshot.projections.endpoint(id)
                else { return nil }
                return StoredEndpoint(id: id, state: state)
            }
        }
    }

    /// The event `eventId` with its deliveries, if it belongs to `tenantId`.
    public func event(_ eventId: EventID, tenantId: TenantID) throws -> StoredEvent? {
        try self.read { snapshot in
            guard let entry = try snapshot.projections.event(eventId), entry.tenantId == tenantId else { return nil }
            return try snapshot.storedEvent(eventId, sequence: entry.sequence)
        }
    }

    /// A tenant's events by receipt time, oldest first.
    public func listEvents(tenantId: TenantID, _ query: EventQuery, after cursor: PageCursor?, limit: Int) throws -> Page<StoredEvent> {
        try self.read { snapshot in
            let prefix = ProjectionKeys.tenant(tenantId)
            return try snapshot.page(
                of: .eventTimes,
                prefix: prefix,
                start: ProjectionKeys.eventTimesStart(tenantId: tenantId, sinceMs: query.sinceMs ?? 0),
                end: query.untilMs.map { ProjectionKeys.eventTimesStart(tenantId: tenantId, sinceMs: $0) },
                after: cursor,
                limit: limit,
                maxWeight: HooklogStore.maxEventBytesPerPage
            ) { key in
                guard let parts = ProjectionKeys.parseEventTime(key) else { return nil }
                if let type = query.type {
                    guard let entry = try snapshot.projections.event(parts.eventId), entry.type == type else { return nil }
                }
                return try snapshot.storedEvent(parts.eventId, sequence: parts.sequence)
            } weight: { event in
                event.record.rawBody.count
            } entriesRead: { event in
                // Each delivery listed with its event is an index entry read and a row decoded.
                event.deliveries.count
            }
        }
    }

    /// The delivery `deliveryId` if it belongs to `tenantId`.
    public func delivery(_ deliveryId: DeliveryID, tenantId: TenantID) throws -> DeliveryState? {
        try self.read { snapshot in
            try snapshot.projections.delivery(deliveryId).flatMap { $0.tenantId == tenantId ? $0 : nil }
        }
    }

    /// A tenant's deliveries (to one endpoint, if the query says) by planning time, oldest first.
    public func listDeliveries(tenantId: TenantID, _ query: DeliveryQuery, after cursor: PageCursor?, limit: Int) throws -> Page<StoredDelivery> {
        try self.read { snapshot in
            let table: ProjectionTable
            let prefix: [UInt8]
            let start: [UInt8]
            var end: [UInt8]?
            if let endpointId = query.endpointId {
                table = .endpointDeliveries
                prefix = ProjectionKeys.endpoint(endpointId)
                start = ProjectionKeys.endpointDeliveriesStart(endpointId: endpointId, sinceMs: query.sinceMs ?? 0)
                end = query.untilMs.map { ProjectionKeys.endpointDeliveriesStart(endpointId: endpointId, sinceMs: $0) }
                // Another tenant's endpoint lists as an id never used does (its cursor judged
                // alike): nothing, with no cursor, and no scan of deliveries not ours.
                if let owner = try snapshot.projections.tenantId(ofEndpoint: endpointId), owner != tenantId { end = start }
            } else {
                table = .tenantDeliveries
                prefix = ProjectionKeys.tenant(tenantId)
                start = ProjectionKeys.tenantDeliveriesStart(tenantId: tenantId, sinceMs: query.sinceMs ?? 0)
                end = query.untilMs.map { ProjectionKeys.tenantDeliveriesStart(tenantId: tenantId, sinceMs: $0) }
            }
            return try snapshot.page(of: table, prefix: prefix, start: start, end: end, after: cursor, limit: limit) { key in
                guard let id = ProjectionKeys.trailingID(of: key, as: DeliveryID.self),
                    let state = try snapshot.projections.delivery(id),
                    state.tenantId == tenantId,
                    query.status == nil || state.status == query.status
                else { return nil }
                return StoredDelivery(id: id, state: state)
            }
        }
    }

    /// Every wire profile an endpoint, or a tenant's deliveries to its events' own URLs, use:
    /// each must be loaded, or their attempts could not be rendered.
    public func profileNamesInUse() throws -> Set<String> {
        try self.read { snapshot in
            var names: Set<String> = []
            try snapshot.projections.scan(.endpoints) { _, value in
                names.insert(try EndpointState(decoding: value).profile)
                return true
            }
            try snapshot.projections.scan(.tenants) { _, value in
                names.insert(try TenantState(decoding: value).inlineProfile)
                return true
            }
            return names
        }
    }
}

extension StoreSnapshot {
    /// The event at `sequence` with its deliveries.
    func storedEvent(_ eventId: EventID, sequence: UInt64) throws -> StoredEvent? {
        guard case .eventReceived(let record)? = try self.linkedRecord(at: sequence), record.eventId == eventId else { return nil }
        var deliveries: [StoredDelivery] = []
        try self.keys(in: .eventDeliveries, withPrefix: ProjectionKeys.event(eventId)) { key in
            if let id = ProjectionKeys.trailingID(of: key, as: DeliveryID.self), let state = try self.projections.delivery(id) {
                deliveries.append(StoredDelivery(id: id, state: state))
            }
            return true
        }
        return StoredEvent(sequence: sequence, record: record, deliveries: deliveries)
    }

    /// One page of the index `table`: keys with `prefix` in `[start, end)`, after `cursor`, each
    /// turned into an item by `item` (`nil` skips it), at most `limit` items, and no item more
    /// once their `weight` reaches `maxWeight`, or once the keys read, and the further index
    /// entries each item read (`entriesRead`), reach `maxScannedPerPage`.
    func page<Item>(
        of table: ProjectionTable,
        prefix: [UInt8],
        start: [UInt8],
        end: [UInt8]?,
        after cursor: PageCursor?,
        limit: Int,
        maxWeight: Int = .max,
        _ item: ([UInt8]) throws -> Item?,
        weight: (Item) -> Int = { _ in 0 },
        entriesRead: (Item) -> Int = { _ in 0 }
    ) throws -> Page<Item> {
        var from = start
        if let cursor {
            // A cursor of another table, another tenant or an older key layout is refused: read
            // from, it would end the listing early or start it in the wrong place.
            guard cursor.table == table, cursor.key.count > prefix.count, cursor.key.starts(with: prefix),
                cursor.key.count == ProjectionKeys.keyByteCount(of: table) ?? cursor.key.count
            else { throw QueryError.invalidCursor }
            if !cursor.key.lexicographicallyPrecedes(start) { from = cursor.key }
        }
        var items: [Item] = []
        var lastKey: [UInt8]?
        var scanned = 0
        var totalWeight = 0
        var more = false
        try self.keys(in: table, withPrefix: prefix, from: from) { key in
            if let end, !key.lexicographicallyPrecedes(end) { return false }
            if key == cursor?.key { return true }
            if items.count >= limit || scanned >= HooklogStore.maxScannedPerPage || totalWeight >= maxWeight {
                more = true
                return false
            }
            scanned += 1
            lastKey = key
            if let next = try item(key) {
                items.append(next)
                totalWeight += weight(next)
                scanned += entriesRead(next)
            }
            return true
        }
        return Page(items: items, nextCursor: more ? lastKey.map { PageCursor(table: table, key: $0) } : nil)
    }

    /// Visits the keys of `table` that start with `prefix`, from the first at or after `from`.
    func keys(in table: ProjectionTable, withPrefix prefix: [UInt8], from: [UInt8], _ body: ([UInt8]) throws -> Bool) throws {
        try self.projections.scan(table, from: from) { key, _ in
            guard key.starts(with: prefix) else { return false }
            return try body(Array(key))
        }
    }
}
