import HooklogCore

/// A rebuild's rows, held as values over the tables already written to LMDB.
///
/// Replaying a log rewrites a delivery's row four or five times and moves it in and out of `due`
/// and `inFlight`. Here each of those is an update of a value in a hash table: nothing is encoded
/// or decoded, and no index key is built until the overlay is flushed, when each row's final
/// value and final index entries are written once, in key order. Rows are kept in the order first
/// touched: ids and index keys are time-ordered, so the flush's sort finds them nearly sorted.
///
/// A value, not an object: the reducer reads it and the rebuild writes it through one pointer for
/// a whole run, with no exclusivity check on every access (those cost a class's stored
/// properties a tenth of a rebuild).
struct RowOverlay {
    private(set) var tenants = RowSlots<TenantState>()
    private(set) var endpoints = RowSlots<EndpointState>()
    private(set) var events = RowSlots<EventIndexEntry>()
    private(set) var idempotency = RowSlots<IdempotencyEntry>()
    private(set) var deliveries = RowSlots<DeliveryState>()
    private(set) var replays = RowSlots<ReplayState>()
    private(set) var invocations = RowSlots<InvocationState>()
    /// Who holds each API key among the tenants held here (the `apiKeys` index of those rows).
    private(set) var apiKeyOwners: [SHA256Digest: TenantID] = [:]

    /// An empty overlay with room for `expectedRowCount` deliveries before its hash table grows.
    init(expectedRowCount: Int) {
        self.deliveries.reserveCapacity(expectedRowCount)
    }

    /// How many rows the overlay holds: what its memory grows with.
    var rowCount: Int {
        self.tenants.count + self.endpoints.count + self.events.count + self.idempotency.count
            + self.deliveries.count + self.replays.count + self.invocations.count
    }

    /// Takes in the rows one record wrote.
    mutating func absorb(_ changes: EntityChanges) {
        for change in changes.tenants.changes where change.isWritten {
            if let before = self.tenants.current(change.id) ?? change.original, self.apiKeyOwners[before.apiKeyHash] == change.id {
                self.apiKeyOwners[before.apiKeyHash] = nil
            }
            if let after = change.current { self.apiKeyOwners[after.apiKeyHash] = change.id }
        }
        self.tenants.absorb(changes.tenants)
        self.endpoints.absorb(changes.endpoints)
        self.events.absorb(changes.events)
        self.idempotency.absorb(changes.idempotency)
        self.deliveries.absorb(changes.deliveries)
        self.replays.absorb(changes.replays)
        self.invocations.absorb(changes.invocations)
    }

    /// Takes every row out as each table's changes (indexed by ordinal), sorted by key (a key
    /// one row deletes and another puts comes deleted first), and leaves the overlay empty with
    /// its hash tables' room.
    mutating func drainSorted() -> [PackedChanges] {
        var tables = [PackedChanges](repeating: PackedChanges(), count: ProjectionTable.allCases.count)
        let add = { (change: ProjectionChange) in
            switch change {
            case .put(let table, let key, let value): tables[table.ordinal].append(key: key, value: value)
            case .delete(let table, let key): tables[table.ordinal].append(key: key, value: nil)
            }
        }
        self.tenants.drain(add)
        self.endpoints.drain(add)
        self.events.drain(add)
        self.idempotency.drain(add)
        self.deliveries.drain(add)
        self.replays.drain(add)
        self.invocations.drain(add)
        self.apiKeyOwners.removeAll()
        for ordinal in tables.indices { tables[ordinal].sortByKey() }
        return tables
    }
}

/// The rows of one kind in an overlay, each with what the flushed tables held for it.
struct RowSlots<Entity: ProjectedEntity> {
    private var positions: [Entity.ID: Int] = [:]
    private var slots: [EntityChange<Entity>] = []

    var count: Int { self.slots.count }

    mutating func reserveCapacity(_ count: Int) {
        self.positions.reserveCapacity(count)
        self.slots.reserveCapacity(count)
    }

    /// The row as held here: `nil` when the overlay has not touched it, `.some(nil)` when it is removed.
    func current(_ id: Entity.ID) -> Entity?? {
        self.positions[id].map { self.slots[$0].current }
    }

    /// Takes in a record's writes; a row new to the overlay keeps the original the record read
    /// (from the flushed tables, since the overlay did not hold it).
    mutating func absorb(_ list: EntityChangeList<Entity>) {
        for change in list.changes where change.isWritten {
            let count = self.slots.count
            // One hash lookup whether the row is new or not: a new row takes the next position.
            let position = Self.value(of: &self.positions[change.id, default: count])
            if position == count {
                self.slots.append(change)
            } else {
                self.slots[position].absorb(change)
            }
        }
    }

    /// Hands every row's byte-level changes to `body` and forgets the rows.
    mutating func drain(_ body: (ProjectionChange) -> Void) {
        for slot in self.slots { slot.forEachProjectionChange(body) }
        self.slots.removeAll(keepingCapacity: true)
        self.positions.removeAll(keepingCapacity: true)
    }

    private static func value(of slot: inout Int) -> Int { slot }
}
