/// How big one replay request may be (the admin's, across tenants, counted whole). Its window is
/// searched off the writer, some thousands of deliveries per snapshot, for as long as
/// `maxScannedCount` deliveries take; its matches are checked again and journaled in one command
/// on the one writer thread, which `maxMatchedCount` keeps to a few tenths of a second of every
/// tenant's writes. A request past a limit is refused, naming it, and the caller splits the window.
public struct ReplayLimits: Sendable, Equatable {
    /// The most deliveries one request re-sends.
    public var maxMatchedCount: Int
    /// The most of the window's deliveries one request looks at to find its matches.
    public var maxScannedCount: Int

    /// The limits in service unless given: 50,000 matched, 1,000,000 looked at (a second or two
    /// of one reader's time).
    public init(maxMatchedCount: Int = 50_000, maxScannedCount: Int = 1_000_000) {
        self.maxMatchedCount = maxMatchedCount
        self.maxScannedCount = maxScannedCount
    }
}
