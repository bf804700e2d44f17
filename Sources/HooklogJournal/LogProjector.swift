/// Keeps projections in step with the log: applied to every entry inside the very write
/// transaction that appends it, and to every entry again, in order, when projections are rebuilt.
///
/// It must be deterministic: the same entries in the same order write the same bytes.
public protocol LogProjector: Sendable {
    /// The databases this projector writes; a rebuild empties them before replaying the log.
    var databaseNames: [String] { get }

    /// Applies one entry that has just been appended (or is being replayed).
    func apply(_ entry: LogEntryView, in transaction: WriteTransaction) throws
}
