import HooklogJournal

/// One pass of the scheduler over the due index, scan by scan: where the next scan goes on, and
/// what the pass has found so far. A pass that reaches the end of what is due having taken
/// nothing is blocked: every due delivery's target is full.
struct DuePass {
    /// Where the next scan goes on; `nil`: from the earliest due delivery.
    var position: DuePosition?
    /// Whether a scan of this pass took a delivery.
    private(set) var tookAny = false
    /// Whether a scan of this pass saw a delivery due.
    private(set) var sawDue = false

    /// Takes in what one scan found and took.
    mutating func note(_ scan: DueScan, took chosen: [DueDelivery]) {
        self.tookAny = self.tookAny || !chosen.isEmpty
        self.sawDue = self.sawDue || scan.sawDue
    }
}
