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

    /// The rows `record` reads and writes, given the rows as they stand before it: what a
    /// rebuild keeps as values instead of bytes. `projectionChanges()` gives the bytes.
    public static func reduce(
        _ record: Record,
        sequence: UInt64,
        appendedAtMs: UInt64,
        rows state: some EntityReading
    ) throws(ReducerError) -> EntityChanges {
        var reduction = Reduction(state: state, sequence: sequence)
        switch record {
        case .tenantCreated(let record): try reduction.apply(record)
        case .tenantAPIKeyRotated(let record): try reduction.apply(record)
        case .tenantInlineSecretRotated(let record): try reduction.apply(record)
        case .endpointCreated(let record): try reduction.apply(record)
        case .endpointUpdated(let record): try reduction.apply(record)
        case .endpointSecretRotated(let record): try reduction.apply(record)
        case .endpointDisabled(let record): try reduction.apply(record)
        case .endpointEnabled(let record): try reduction.apply(record)
        case .endpointDeleted(let record): try reduction.apply(record)
        case .eventReceived(let record): try reduction.apply(record)
        case .deliveryPlanned(let record): try reduction.apply(record)
        case .attemptStarted(let record): try reduction.apply(record)
        case .attemptFinished(let record): try reduction.apply(record)
        case .deliveryRetryScheduled(let record): try reduction.apply(record)
        case .deliverySucceeded(let record): try reduction.apply(record)
        case .deliveryFailed(let record): try reduction.apply(record)
        case .deliveryCancelled(let record): try reduction.apply(record)
        case .replayRequested(let record): try reduction.apply(record)
        case .replayAnswered(let record): try reduction.apply(record)
        case .invocationStarted(let record): try reduction.apply(record)
        case .invocationFinished(let record): try reduction.apply(record)
        }
        return reduction.changes
    }
}
