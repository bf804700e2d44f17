/// The pure heart of Hooklog: turns one record and the current projections into the changes
/// that record makes to them. The journal applies the changes in the transaction that appends
/// the record; `rebuild` replays the whole log through it from empty tables.
///
/// No I/O, clock, randomness or configuration: every time and every decision comes from the
/// record, so the same log always gives the same bytes. Records that cannot happen in a correct
/// log (unknown objects, duplicates, impossible transitions) throw, and change nothing.
public enum Reducer {
    /// The changes `record` makes, given the projections as they stand before it.
    ///
    /// - Parameters:
    ///   - record: The record being appended (or replayed).
    ///   - sequence: Its position in the log; kept where the API needs to fetch it back.
    ///   - appendedAtMs: When its batch was appended. Unused today (projections keep the record's
    ///     own times), accepted so that the journal's call never has to change.
    ///   - state: The projections before this record, this batch's earlier records included.
    public static func reduce(
        _ record: Record,
        sequence: UInt64,
        appendedAtMs: UInt64,
        state: some ProjectionReading
    ) throws(ReducerError) -> [ProjectionChange] {
        try Self.reduce(record, sequence: sequence, appendedAtMs: appendedAtMs, rows: DecodedProjections(state)).projectionChanges()
    }

    /// The rows `record` reads and writes, given the rows as they stand before it, with `state`
    /// left as it was: what the journal's store applies in the record's transaction
    /// (`projectionChanges()` gives the bytes).
    public static func reduce(
        _ record: Record,
        sequence: UInt64,
        appendedAtMs: UInt64,
        rows state: some EntityReading
    ) throws(ReducerError) -> EntityChanges {
        var rows = RecordedRows(state)
        try Self.reduce(record, sequence: sequence, appendedAtMs: appendedAtMs, into: &rows)
        return rows.changes
    }

    /// Reduces `record` straight into `rows`, with nothing collected per record: what a rebuild
    /// does. If it throws, `rows` may keep part of the record's writes, so they are for rows
    /// dropped whole on any failure (a rebuild stops at the first record it cannot replay).
    public static func reduce(
        _ record: Record,
        sequence: UInt64,
        appendedAtMs: UInt64,
        into rows: inout some ReductionRows
    ) throws(ReducerError) {
        try withUnsafeMutablePointer(to: &rows) { rows throws(ReducerError) in
            var reduction = Reduction(rows: rows, sequence: sequence)
            try reduction.apply(record)
        }
    }
}

extension Reduction {
    /// Applies `record`, whichever kind it is.
    mutating func apply(_ record: Record) throws(ReducerError) {
        switch record {
        case .tenantCreated(let record): try self.apply(record)
        case .tenantAPIKeyRotated(let record): try self.apply(record)
        case .tenantInlineSecretRotated(let record): try self.apply(record)
        case .endpointCreated(let record): try self.apply(record)
        case .endpointUpdated(let record): try self.apply(record)
        case .endpointSecretRotated(let record): try self.apply(record)
        case .endpointDisabled(let record): try self.apply(record)
        case .endpointEnabled(let record): try self.apply(record)
        case .endpointDeleted(let record): try self.apply(record)
        case .eventReceived(let record): try self.apply(record)
        case .deliveryPlanned(let record): try self.apply(record)
        case .attemptStarted(let record): try self.apply(record)
        case .attemptFinished(let record): try self.apply(record)
        case .deliveryRetryScheduled(let record): try self.apply(record)
        case .deliverySucceeded(let record): try self.apply(record)
        case .deliveryFailed(let record): try self.apply(record)
        case .deliveryCancelled(let record): try self.apply(record)
        case .replayRequested(let record): try self.apply(record)
        case .replayAnswered(let record): try self.apply(record)
        case .invocationStarted(let record): try self.apply(record)
        case .invocationFinished(let record): try self.apply(record)
        }
    }
}
