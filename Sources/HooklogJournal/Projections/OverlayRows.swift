import HooklogCore

/// A rebuild's rows as its reductions read and write them: the overlay, over what earlier
/// flushes wrote (`flushed`; `nil` while nothing is flushed, or the tables hold the projections
/// being replaced). Writes land in the overlay at once, with nothing collected per record: a
/// record the reducer refuses stops the rebuild, and the overlay is dropped. Reads and writes go
/// through the rebuild's pointer, valid while its run lasts.
struct OverlayRows: ReductionRows {
    typealias Flushed = DecodedProjections<TransactionProjections<ReadTransaction>>

    let overlay: UnsafeMutablePointer<RowOverlay>
    let flushed: Flushed?

    mutating func tenant(_ id: TenantID) throws(ReducerError) -> TenantState? {
        try Self.row(id, in: &self.overlay.pointee.tenants, flushed: self.flushed) { flushed, id throws(ReducerError) in try flushed.tenant(id) }
    }

    mutating func endpoint(_ id: EndpointID) throws(ReducerError) -> EndpointState? {
        try Self.row(id, in: &self.overlay.pointee.endpoints, flushed: self.flushed) { flushed, id throws(ReducerError) in try flushed.endpoint(id) }
    }

    mutating func event(_ id: EventID) throws(ReducerError) -> EventIndexEntry? {
        try Self.row(id, in: &self.overlay.pointee.events, flushed: self.flushed) { flushed, id throws(ReducerError) in try flushed.event(id) }
    }

    mutating func idempotencyEntry(_ key: IdempotencyEntry.Key) throws(ReducerError) -> IdempotencyEntry? {
        try Self.row(key, in: &self.overlay.pointee.idempotency, flushed: self.flushed) { flushed, key throws(ReducerError) in try flushed.idempotencyEntry(key) }
    }

    mutating func delivery(_ id: DeliveryID) throws(ReducerError) -> DeliveryState? {
        try Self.row(id, in: &self.overlay.pointee.deliveries, flushed: self.flushed) { flushed, id throws(ReducerError) in try flushed.delivery(id) }
    }

    mutating func replay(_ id: ReplayID) throws(ReducerError) -> ReplayState? {
        try Self.row(id, in: &self.overlay.pointee.replays, flushed: self.flushed) { flushed, id throws(ReducerError) in try flushed.replay(id) }
    }

    mutating func invocation(_ id: InvocationID) throws(ReducerError) -> InvocationState? {
        try Self.row(id, in: &self.overlay.pointee.invocations, flushed: self.flushed) { flushed, id throws(ReducerError) in try flushed.invocation(id) }
    }

    func apiKeyIsTaken(_ apiKeyHash: SHA256Digest) throws(ReducerError) -> Bool {
        if self.overlay.pointee.apiKeyOwners[apiKeyHash] != nil { return true }
        guard let owner = try self.flushed?.tenantId(forAPIKeyHash: apiKeyHash) else { return false }
        // The flushed index is stale for a tenant the overlay has changed since.
        guard let held = self.overlay.pointee.tenants.current(owner) else { return true }
        return held?.apiKeyHash == apiKeyHash
    }

    mutating func putTenant(_ id: TenantID, _ tenant: TenantState) {
        self.assertRead(id, in: self.overlay.pointee.tenants)
        self.overlay.pointee.putTenant(id, tenant)
    }

    mutating func putEndpoint(_ id: EndpointID, _ endpoint: EndpointState) {
        self.assertRead(id, in: self.overlay.pointee.endpoints)
        self.overlay.pointee.endpoints.write(id, endpoint)
    }

    mutating func removeEndpoint(_ id: EndpointID) {
        self.assertRead(id, in: self.overlay.pointee.endpoints)
        self.overlay.pointee.endpoints.write(id, nil)
    }

    mutating func putEvent(_ id: EventID, _ event: EventIndexEntry) {
        self.assertRead(id, in: self.overlay.pointee.events)
        self.overlay.pointee.events.write(id, event)
    }

    mutating func putIdempotencyEntry(_ key: IdempotencyEntry.Key, _ entry: IdempotencyEntry) {
        self.assertRead(key, in: self.overlay.pointee.idempotency)
        self.overlay.pointee.idempotency.write(key, entry)
    }

    mutating func putDelivery(_ id: DeliveryID, _ delivery: DeliveryState) {
        self.assertRead(id, in: self.overlay.pointee.deliveries)
        self.overlay.pointee.deliveries.write(id, delivery)
    }

    mutating func putReplay(_ id: ReplayID, _ replay: ReplayState) {
        self.assertRead(id, in: self.overlay.pointee.replays)
        self.overlay.pointee.replays.write(id, replay)
    }

    mutating func putInvocation(_ id: InvocationID, _ invocation: InvocationState) {
        self.assertRead(id, in: self.overlay.pointee.invocations)
        self.overlay.pointee.invocations.write(id, invocation)
    }

    /// A row the flushed tables may hold must have been read, and so held, before it is written:
    /// written unread, it would be taken for new, and its old index entries left behind. (The
    /// reducer reads every row it writes; `RecordedRows` stops on the same mistake.)
    private func assertRead<Entity: ProjectedEntity>(_ id: Entity.ID, in slots: RowSlots<Entity>) {
        assert(self.flushed == nil || slots.current(id) != nil, "the reducer writes only rows it has read")
    }

    /// Row `id` as held, else as flushed (then held, unwritten), else none.
    private static func row<Entity: ProjectedEntity>(
        _ id: Entity.ID,
        in slots: inout RowSlots<Entity>,
        flushed: Flushed?,
        read: (Flushed, Entity.ID) throws(ReducerError) -> Entity?
    ) throws(ReducerError) -> Entity? {
        if let held = slots.current(id) { return held }
        guard let flushed else { return nil }
        let row = try read(flushed, id)
        slots.holdRead(id, row)
        return row
    }
}
