/// One row as a record (or a rebuild's run of records) found it and left it.
public struct EntityChange<Entity: ProjectedEntity>: Sendable {
    public let id: Entity.ID
    /// The row before: what the projections held.
    public let original: Entity?
    /// The row after; `nil` when it is removed (or never existed).
    public var current: Entity?
    /// Whether anything was written to it; rows only read are kept so that later reads and the
    /// write's `original` need no second lookup.
    public var isWritten: Bool
    /// Whether it was created after being removed (an id used again): its lifetime entries may
    /// then differ from `original`'s.
    public var isRecreated = false

    public init(id: Entity.ID, original: Entity?, current: Entity?, isWritten: Bool) {
        self.id = id
        self.original = original
        self.current = current
        self.isWritten = isWritten
    }

    /// Makes `row` the current row, noting a removed row created again.
    @inlinable
    public mutating func write(_ row: Entity?) {
        if Self.recreates(row, over: self.current, hadOriginal: self.original != nil) { self.isRecreated = true }
        self.current = row
        self.isWritten = true
    }

    /// Whether writing `row` over `current` creates again a row that existed (`hadOriginal`) and
    /// is removed now: then its lifetime index entries may differ from the original's. (Matched,
    /// not compared with `nil`, so that no row is copied to find out.)
    @inlinable
    public static func recreates(_ row: Entity?, over current: Entity?, hadOriginal: Bool) -> Bool {
        guard hadOriginal, case .none = current, case .some = row else { return false }
        return true
    }

    /// The byte-level changes from `original` to `current`: the row itself, then the index
    /// entries it no longer makes (deleted) and those it makes anew (put). A row that lives on
    /// keeps its lifetime entries, so only its state entries are compared, unless it was removed
    /// and created again. Every written row is put, even one equal to its original: equality is
    /// not sameness of bytes (strings compare by canonical equivalence).
    public func forEachProjectionChange(_ body: (ProjectionChange) throws -> Void) rethrows {
        guard self.isWritten else { return }
        let id = self.id
        switch (self.original, self.current) {
        case (nil, let created?):
            try body(.put(Entity.table, key: Entity.key(id), value: created.encode()))
            for entry in created.lifetimeIndexEntries(of: id) { try body(.put(entry.table, key: entry.key, value: entry.value)) }
            for entry in created.stateIndexEntries(of: id) { try body(.put(entry.table, key: entry.key, value: entry.value)) }
        case (let removed?, nil):
            try body(.delete(Entity.table, key: Entity.key(id)))
            for entry in removed.lifetimeIndexEntries(of: id) { try body(.delete(entry.table, key: entry.key)) }
            for entry in removed.stateIndexEntries(of: id) { try body(.delete(entry.table, key: entry.key)) }
        case (let before?, let after?):
            assert(self.isRecreated || before.lifetimeIndexEntries(of: id) == after.lifetimeIndexEntries(of: id), "a lifetime index entry changed")
            try body(.put(Entity.table, key: Entity.key(id), value: after.encode()))
            if self.isRecreated {
                try Self.forEachDifference(from: before.lifetimeIndexEntries(of: id), to: after.lifetimeIndexEntries(of: id), body)
            }
            try Self.forEachDifference(from: before.stateIndexEntries(of: id), to: after.stateIndexEntries(of: id), body)
        case (nil, nil):
            break
        }
    }

    /// Deletes the entries `before` has and `after` lacks; puts those `after` has anew.
    private static func forEachDifference(from before: [IndexEntry], to after: [IndexEntry], _ body: (ProjectionChange) throws -> Void) rethrows {
        for entry in before where !after.contains(where: { $0.table == entry.table && $0.key == entry.key }) {
            try body(.delete(entry.table, key: entry.key))
        }
        for entry in after where !before.contains(entry) {
            try body(.put(entry.table, key: entry.key, value: entry.value))
        }
    }
}

/// The rows of one kind that a record read or wrote, in the order first touched. A record
/// touches a handful, so they are found by a linear scan, cheaper than hashing.
public struct EntityChangeList<Entity: ProjectedEntity>: Sendable {
    public private(set) var changes: [EntityChange<Entity>] = []

    /// The row as this record left it: `nil` if the record has not touched it.
    func pending(_ id: Entity.ID) -> Entity?? {
        guard let position = self.changes.firstIndex(where: { $0.id == id }) else { return nil }
        return .some(self.changes[position].current)
    }

    /// Remembers a row read from the projections, so that a later write knows what it replaces.
    mutating func noteRead(_ id: Entity.ID, _ row: Entity?) {
        self.changes.append(EntityChange(id: id, original: row, current: row, isWritten: false))
    }

    /// Writes a row read before (every write follows the read that judged it).
    mutating func write(_ id: Entity.ID, _ row: Entity?) {
        guard let position = self.changes.firstIndex(where: { $0.id == id }) else {
            preconditionFailure("the reducer writes only rows it has read")
        }
        self.changes[position].write(row)
    }
}

/// Every row one record read or wrote.
public struct EntityChanges: Sendable {
    public internal(set) var tenants = EntityChangeList<TenantState>()
    public internal(set) var endpoints = EntityChangeList<EndpointState>()
    public internal(set) var events = EntityChangeList<EventIndexEntry>()
    public internal(set) var idempotency = EntityChangeList<IdempotencyEntry>()
    public internal(set) var deliveries = EntityChangeList<DeliveryState>()
    public internal(set) var replays = EntityChangeList<ReplayState>()
    public internal(set) var invocations = EntityChangeList<InvocationState>()

    /// The byte-level changes of every written row, for stores that keep bytes.
    public func projectionChanges() -> [ProjectionChange] {
        var changes: [ProjectionChange] = []
        self.forEachProjectionChange { changes.append($0) }
        return changes
    }

    /// Calls `body` with the byte-level changes of every written row.
    public func forEachProjectionChange(_ body: (ProjectionChange) throws -> Void) rethrows {
        for change in self.tenants.changes { try change.forEachProjectionChange(body) }
        for change in self.endpoints.changes { try change.forEachProjectionChange(body) }
        for change in self.events.changes { try change.forEachProjectionChange(body) }
        for change in self.idempotency.changes { try change.forEachProjectionChange(body) }
        for change in self.deliveries.changes { try change.forEachProjectionChange(body) }
        for change in self.replays.changes { try change.forEachProjectionChange(body) }
        for change in self.invocations.changes { try change.forEachProjectionChange(body) }
    }
}
