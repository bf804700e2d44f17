import HooklogCore
import HooklogJournal

/// One replay request's answer (or several added up), as a resend prints it.
struct ResendAnswer {
    /// Each replay made: its id, its tenant (`nil` when the answer did not say) and how many
    /// deliveries it scheduled.
    var replays: [(id: String, tenantId: String?, matched: Int)] = []
    var matched = 0
    /// Of `matched`, those in answers the API repeated for an Idempotency-Key an earlier run
    /// asked with (`--run-id`): asked for then, not now.
    var repeatedCount = 0
    var unfinishedCount = 0
    var endpointDisabledCount = 0
    /// Whether a tenant's key, not the admin's, was answered for when no tenant was asked for:
    /// the replay then covers that tenant alone, where one journaled here covers every tenant.
    var coversOnlyTheKeysTenant = false

    mutating func add(_ other: ResendAnswer) {
        self.coversOnlyTheKeysTenant = self.coversOnlyTheKeysTenant || other.coversOnlyTheKeysTenant
        self.replays += other.replays
        self.matched += other.matched
        self.repeatedCount += other.repeatedCount
        self.unfinishedCount += other.unfinishedCount
        self.endpointDisabledCount += other.endpointDisabledCount
    }
}

extension ResendAnswer {
    /// The answer of a replay journaled here.
    init(_ requested: RequestedReplays) {
        self.replays = requested.replays.map { ($0.replayId.description, $0.tenantId.description, $0.matched) }
        self.matched = requested.matched
        self.unfinishedCount = requested.skipped.unfinishedCount
        self.endpointDisabledCount = requested.skipped.endpointDisabledCount
    }
}
