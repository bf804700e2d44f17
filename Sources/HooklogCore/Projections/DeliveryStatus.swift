/// Where a delivery is in its life. The raw value is the stored tag.
///
/// `pending → inFlight → succeeded | retrying → inFlight → … | failed`, and `cancelled` from any
/// state but `inFlight` with an unfinished attempt. A finished delivery (`succeeded`, `failed`,
/// `cancelled`) is reopened as `retrying` by a manual retry or a replay.
public enum DeliveryStatus: UInt8, Sendable, CaseIterable {
    /// Planned, not tried yet; due at `nextAttemptAtMs`.
    case pending = 1
    /// An attempt has started and no decision is journaled yet.
    case inFlight = 2
    /// The receiver acknowledged it.
    case succeeded = 3
    /// An attempt failed; due again at `nextAttemptAtMs`.
    case retrying = 4
    /// Given up.
    case failed = 5
    /// Stopped (its endpoint was disabled or removed, or someone cancelled it).
    case cancelled = 6

    /// The name the API shows: `pending`, `in_flight`, `succeeded`, `retrying`, `failed`, `cancelled`.
    public var name: String {
        switch self {
        case .pending: "pending"
        case .inFlight: "in_flight"
        case .succeeded: "succeeded"
        case .retrying: "retrying"
        case .failed: "failed"
        case .cancelled: "cancelled"
        }
    }

    /// Whether the delivery waits in the `due` index.
    public var isWaiting: Bool {
        self == .pending || self == .retrying
    }

    /// Whether nothing more happens unless someone reopens it.
    public var isFinished: Bool {
        self == .succeeded || self == .failed || self == .cancelled
    }
}
