extension MemoryProjections {
    /// Reduces `record` against these projections and applies its changes, as the journal does
    /// inside its write transaction; if the reducer throws, nothing changes.
    public mutating func apply(_ record: Record, sequence: UInt64, appendedAtMs: UInt64) throws(ReducerError) {
        let changes = try Reducer.reduce(record, sequence: sequence, appendedAtMs: appendedAtMs, state: self)
        self.apply(changes)
    }

    /// Projections rebuilt from empty by replaying `records`, the first at sequence 1.
    public static func rebuilt(from records: some Sequence<Record>, appendedAtMs: UInt64 = 0) throws(ReducerError) -> MemoryProjections {
        var projections = MemoryProjections()
        for (offset, record) in records.enumerated() {
            try projections.apply(record, sequence: UInt64(offset + 1), appendedAtMs: appendedAtMs)
        }
        return projections
    }
}
