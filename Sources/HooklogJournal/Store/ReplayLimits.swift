/// How big one replay request may be (the admin's, across tenants, counted whole). Its records are
/// journaled in one command on the one writer thread, so a window of millions would hold every
/// tenant's writes up for seconds; a request past a limit is refused, naming it, and the caller
/// splits the window.
public struct ReplayLimits: Sendable, Equatable {
    /// The most deliveries one request re-sends.
    public var maxMatchedCount: Int
    /// The most of the window's deliveries one request looks at to find its matches.
    public var maxScannedCount: Int

    /// The limits in service unless given: 50,000 matched, 250,000 looked at (a few tenths of a
    /// second of the writer's time).
    public init(maxMatchedCount: Int = 50_000, maxScannedCount: Int = 250_000) {
        self.maxMatchedCount = maxMatchedCount
        self.maxScannedCount = maxScannedCount
    }
}
