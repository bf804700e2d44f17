public import HooklogCore
public import HooklogJournal

/// Where a dispatcher journals how an attempt ended and what follows: `HooklogStore` in service.
///
/// The dispatcher needs nothing else from the journal; tests stand in for it to make it refuse.
public protocol AttemptEndJournal: Sendable {
    /// Journals `job`'s end and the decision that follows it (see `HooklogStore.finishAttempt`).
    func finishAttempt(
        _ job: AttemptJob,
        response: AttemptResponse,
        retries4xx: Bool,
        rules: DeliveryRules,
        nowMs: UInt64
    ) async throws -> AttemptConclusion
}

extension HooklogStore: AttemptEndJournal {}
