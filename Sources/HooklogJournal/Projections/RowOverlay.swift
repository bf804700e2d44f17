import Dispatch
import HooklogCore
import Synchronization

/// A rebuild's rows, held as values over the tables already written to LMDB.
///
/// Replaying a log rewrites a delivery's row four or five times and moves it in and out of `due`
/// and `inFlight`. Here each of those is an update of a value in a hash table: nothing is encoded
/// or decoded, and no index key is built until the overlay is flushed, when each row's final
/// value and final index entries are written once, in key order. Rows are kept in the order first
/// touched: ids and index keys are time-ordered, so the flush's sort finds them nearly sorted.
///
/// A value, not an object: the reducer reads and writes it (`OverlayRows`) through one pointer for
/// a whole run, with no exclusivity check on every access (those cost a class's stored
/// properties a tenth of a rebuild).
struct RowOverlay {
    // Read and written by `OverlayRows`, the reducer's view of them.
    var tenants = RowSlots<TenantState>()
    var endpoints = RowSlots<EndpointState>()
    var events = RowSlots<EventIndexEntry>()
    var idempotency = RowSlots<IdempotencyEntry>()
    var deliveries = RowSlots<DeliveryState>()
    var replays = RowSlots<ReplayState>()
    var invocations = RowSlots<InvocationState>()
    /// Who holds each API key among the tenants held here (the `apiKeys` index of those rows).
    private(set) var apiKeyOwners: [SHA256Digest: TenantID] = [:]

    /// An empty overlay with room for `expectedRowCount` deliveries before its hash table grows.
    init(expectedRowCount: Int) {
        self.deliveries.reserveCapacity(expectedRowCount)
    }

    /// How many rows the overlay holds, those only read from earlier flushes included: what its
    /// memory grows with.
    var rowCount: Int {
        self.tenants.count + self.endpoints.count + self.events.count + self.idempotency.count
            + self.deliveries.count + self.replays.count + self.invocations.count
    }

    /// Writes tenant `id`, and moves its API key in `apiKeyOwners`.
    mutating func putTenant(_ id: TenantID, _ tenant: TenantState) {
        if case let before?? = self.tenants.current(id), self.apiKeyOwners[before.apiKeyHash] == id {
            self.apiKeyOwners[before.apiKeyHash] = nil
        }
        self.apiKeyOwners[tenant.apiKeyHash] = id
        self.tenants.write(id, tenant)
    }

    /// The share of deliveries the first part packs: the second packs the rest and every other
    /// row (events mostly, a third as many, cheaper each), so that both take about as long.
    private static let deliveriesPackedFirstPercent = 60

    /// Takes every row out as each table's changes (indexed by ordinal), sorted by key (a key
    /// one row deletes and another puts comes deleted first), and leaves the overlay empty with
    /// its hash tables' room. The rows are packed in two parts at once, on two threads (the
    /// rebuild's other processor is idle here): the first holds most deliveries, the second the
    /// rest of them and every other row, which cost less each to pack.
    mutating func drainSorted() -> [TableChanges] {
        let deliveriesInFirstPart = self.deliveries.count * Self.deliveriesPackedFirstPercent / 100
        let parts = DrainedParts()
        DispatchQueue.concurrentPerform(iterations: 2) { [self] part in
            var tables = [PackedChanges](repeating: PackedChanges(), count: ProjectionTable.allCases.count)
            let add = { (change: ProjectionChange) in
                switch change {
                case .put(let table, let key, let value): tables[table.ordinal].append(key: key, value: value)
                case .delete(let table, let key): tables[table.ordinal].append(key: key, value: nil)
                }
            }
            if part == 0 {
                self.deliveries.forEachProjectionChange(in: 0..<deliveriesInFirstPart, add)
            } else {
                self.deliveries.forEachProjectionChange(in: deliveriesInFirstPart..<self.deliveries.count, add)
                self.tenants.forEachProjectionChange(add)
                self.endpoints.forEachProjectionChange(add)
                self.events.forEachProjectionChange(add)
                self.idempotency.forEachProjectionChange(add)
                self.replays.forEachProjectionChange(add)
                self.invocations.forEachProjectionChange(add)
            }
            for ordinal in tables.indices { tables[ordinal].sortByKey() }
            parts.set(part, tables)
        }
        self.tenants.removeAll()
        self.endpoints.removeAll()
        self.events.removeAll()
        self.idempotency.removeAll()
        self.deliveries.removeAll()
        self.replays.removeAll()
        self.invocations.removeAll()
        self.apiKeyOwners.removeAll()
        let (first, second) = parts.take()
        return zip(first, second).map { TableChanges(first: $0, second: $1) }
    }
}

/// The two parts of a drain, as its threads finish them.
private final class DrainedParts: Sendable {
    private let parts = Mutex<[[PackedChanges]?]>([nil, nil])

    func set(_ part: Int, _ tables: [PackedChanges]) {
        self.parts.withLock { $0[part] = tables }
    }

    func take() -> ([PackedChanges], [PackedChanges]) {
        self.parts.withLock { ($0[0]!, $0[1]!) }
    }
}

/// The rows of one kind in an overlay, each with what the flushed tables held for it.
///
/// A slot holds a row as it stands; what the flushed tables held for it sits apart, for the few
/// rows read back from them: most rows are new to a rebuild, and a slot half the size is half
/// the memory to touch and move.
struct RowSlots<Entity: ProjectedEntity> {
    private struct Slot {
        let id: Entity.ID
        var current: Entity?
        var isWritten: Bool
        var isRecreated = false
        /// Whether the flushed tables held the row (then in `originals`).
        let hasOriginal: Bool
    }

    private var positions: [Entity.ID: Int] = [:]
    private var slots: [Slot] = []
    /// What the flushed tables held for a row read back from them, by position.
    private var originals: [Int: Entity] = [:]

    var count: Int { self.slots.count }

    mutating func reserveCapacity(_ count: Int) {
        self.positions.reserveCapacity(count)
        self.slots.reserveCapacity(count)
    }

    /// The row as held here: `nil` when the overlay has not touched it, `.some(nil)` when it is removed.
    func current(_ id: Entity.ID) -> Entity?? {
        self.positions[id].map { self.slots[$0].current }
    }

    /// Holds a row read from the tables flushed before, unwritten, so that its write knows what
    /// it replaces (and later reads find it here).
    mutating func holdRead(_ id: Entity.ID, _ row: Entity?) {
        self.positions[id] = self.slots.count
        if let row { self.originals[self.slots.count] = row }
        self.slots.append(Slot(id: id, current: row, isWritten: false, hasOriginal: row != nil))
    }

    /// Writes row `id` (`nil` removes it). A row not held here is new to the rebuild: one the
    /// flushed tables hold was read, and so held, before it is written.
    mutating func write(_ id: Entity.ID, _ row: Entity?) {
        let count = self.slots.count
        // One hash lookup whether the row is new or not: a new row takes the next position.
        let position = Self.value(of: &self.positions[id, default: count])
        if position == count {
            self.slots.append(Slot(id: id, current: row, isWritten: true, hasOriginal: false))
            return
        }
        if EntityChange.recreates(row, over: self.slots[position].current, hadOriginal: self.slots[position].hasOriginal) {
            self.slots[position].isRecreated = true
        }
        self.slots[position].current = row
        self.slots[position].isWritten = true
    }

    /// Hands the byte-level changes of the rows at `positions` (all when not given) to `body`.
    func forEachProjectionChange(in positions: Range<Int>? = nil, _ body: (ProjectionChange) -> Void) {
        for position in positions ?? self.slots.indices where self.slots[position].isWritten {
            let slot = self.slots[position]
            var change = EntityChange(id: slot.id, original: slot.hasOriginal ? self.originals[position] : nil, current: slot.current, isWritten: true)
            change.isRecreated = slot.isRecreated
            change.forEachProjectionChange(body)
        }
    }

    /// Forgets every row, keeping the room they took.
    mutating func removeAll() {
        self.slots.removeAll(keepingCapacity: true)
        self.positions.removeAll(keepingCapacity: true)
        self.originals.removeAll()
    }

    private static func value(of slot: inout Int) -> Int { slot }
}
