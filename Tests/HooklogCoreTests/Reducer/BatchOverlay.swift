import HooklogCore

/// A write transaction over committed projections, as the journal's group commit has: a batch's
/// records see the batch's earlier writes; the batch is then committed or thrown away.
struct BatchOverlay: ProjectionReading {
    let base: MemoryProjections
    /// When the batch is appended; the same for all of its records.
    let appendedAtMs: UInt64
    private var pending: [ProjectionTable: [[UInt8]: [UInt8]?]] = [:]
    private(set) var changes: [ProjectionChange] = []

    init(base: MemoryProjections, appendedAtMs: UInt64) {
        self.base = base
        self.appendedAtMs = appendedAtMs
    }

    func value(in table: ProjectionTable, forKey key: [UInt8]) -> [UInt8]? {
        if let pending = self.pending[table]?[key] { return pending }
        return self.base.value(in: table, forKey: key)
    }

    /// Reduces and applies `record`; throws (changing nothing) if the reducer rejects it.
    mutating func append(_ record: Record, sequence: UInt64) throws(ReducerError) {
        let changes = try Reducer.reduce(record, sequence: sequence, appendedAtMs: self.appendedAtMs, state: self)
        for change in changes {
            switch change {
            case .put(let table, let key, let value): self.pending[table, default: [:]][key] = .some(value)
            case .delete(let table, let key): self.pending[table, default: [:]][key] = .some(nil)
            }
        }
        self.changes += changes
    }
}
