public import HooklogCore

/// A replay that was journaled: its id, its tenant and how many deliveries it reopened.
public struct RequestedReplay: Sendable, Equatable {
    /// The new replay (`GET /v1/replays/{id}` shows its progress).
    public let replayId: ReplayID
    /// Whose deliveries it re-sends.
    public let tenantId: TenantID
    /// How many deliveries matched and were scheduled again, each once.
    public let matched: Int
    /// The window's deliveries it selected but did not re-send.
    public let skipped: ReplaySkips
}

/// The admin's replay across tenants: one replay per tenant with matches.
public struct RequestedReplays: Sendable, Equatable {
    /// The replays journaled.
    public let replays: [RequestedReplay]
    /// What every tenant's window selected but was not re-sent, those without a replay included.
    public let skipped: ReplaySkips
    /// Whether this answers a repeated idempotency key (nothing new was journaled).
    public let isRepeat: Bool

    /// The replays, and what was skipped in all.
    public init(replays: [RequestedReplay], skipped: ReplaySkips, isRepeat: Bool = false) {
        self.replays = replays
        self.skipped = skipped
        self.isRepeat = isRepeat
    }

    /// One tenant's replay.
    public init(_ replay: RequestedReplay) {
        self.init(replays: [replay], skipped: replay.skipped)
    }

    /// How many deliveries the replays re-send in all.
    public var matched: Int {
        self.replays.reduce(0) { $0 + $1.matched }
    }
}
