/// The last line of an export: what it holds, and the chain head that vouches for it.
///
/// `head` is the log's newest entry appended before the window's end (`until`; the log's head
/// without it), whether or not the tenant filter kept it: exporting everything gives exactly the
/// head that `hooklog verify` prints. Each exported line carries its entry's stored chain hash,
/// and `hooklog verify --export` holds a kept export file, head and lines, against the log.
public struct ExportManifest: Sendable, Equatable {
    /// How many records the export holds.
    public let count: UInt64
    /// The sequence of the first record exported; `nil` when none was.
    public let firstSequence: UInt64?
    /// The sequence of the last record exported; `nil` when none was.
    public let lastSequence: UInt64?
    /// The newest entry appended before the window's end (`ChainHead.empty` when the window is
    /// before the log).
    public let head: ChainHead
    /// Whether no record can still be appended inside the window: the log had already reached
    /// `until` when the export opened (batches are stamped in commit order, never earlier than
    /// the last), so exporting every tenant's records of the window again gives the same lines.
    /// (A tenant's lines follow its ownership of records as the projections have it then.) Never
    /// for a window without `until`.
    public let windowIsClosed: Bool

    public init(count: UInt64, firstSequence: UInt64?, lastSequence: UInt64?, head: ChainHead, windowIsClosed: Bool) {
        self.count = count
        self.firstSequence = firstSequence
        self.lastSequence = lastSequence
        self.head = head
        self.windowIsClosed = windowIsClosed
    }
}
