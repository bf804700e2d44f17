public import HooklogCore

/// A replay that was journaled: its id, its tenant and how many deliveries it reopened.
public struct RequestedReplay: Sendable, Equatable {
    /// The new replay (`GET /v1/replays/{id}` shows its progress).
    public let replayId: ReplayID
    /// Whose deliveries it re-sends.
    public let tenantId: TenantID
    /// How many deliveries matched and were scheduled again, each once.
    public let matched: Int
}
