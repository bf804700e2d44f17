/// What is left of a replay request's `ReplayLimits` while its matches are collected: the admin's
/// request, across tenants, spends one budget.
struct ReplayBudget: Sendable {
    private let limits: ReplayLimits
    private var scannedCount = 0
    private var matchedCount = 0

    /// The whole of `limits`.
    init(_ limits: ReplayLimits) {
        self.limits = limits
    }

    /// Counts one delivery looked at, planned at `plannedAtMs`; throws `tooLarge` past the limit.
    mutating func spendScan(plannedAtMs: UInt64) throws(ReplayError) {
        self.scannedCount += 1
        guard self.scannedCount <= self.limits.maxScannedCount else { throw .tooLarge(limits: self.limits, splitAtMs: plannedAtMs) }
    }

    /// Counts one delivery matched, planned at `plannedAtMs`; throws `tooLarge` past the limit.
    mutating func spendMatch(plannedAtMs: UInt64) throws(ReplayError) {
        self.matchedCount += 1
        guard self.matchedCount <= self.limits.maxMatchedCount else { throw .tooLarge(limits: self.limits, splitAtMs: plannedAtMs) }
    }
}
