extension MemoryProjections {
    /// Reduces `record` against these projections and applies its changes, as the journal does
    /// inside its write transaction; if the reducer throws, nothing changes.
    public mutating func apply(_ record: Record, sequence: UInt64, appendedAtMs: UInt64) throws(ReducerError) {
        let changes = try Reducer.reduce(record, sequence: sequence, appendedAtMs: appendedAtMs, state: self)
        self.apply(changes)
    }
}
