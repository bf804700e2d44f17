/// Which deliveries of a window a replay re-sends. The raw value is the wire tag.
public enum ReplayStatusFilter: UInt8, Sendable, CaseIterable {
    /// Only deliveries that failed, or were cancelled when Hooklog disabled their endpoint.
    case failed = 1
    /// Every finished delivery.
    case all = 2

    /// The name the API uses: `failed`, `all`.
    public var name: String {
        switch self {
        case .failed: "failed"
        case .all: "all"
        }
    }
}
