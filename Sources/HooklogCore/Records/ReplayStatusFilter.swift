/// Which deliveries of a window a replay re-sends. The raw value is the wire tag.
public enum ReplayStatusFilter: UInt8, Sendable, CaseIterable {
    /// Only deliveries that failed, or were cancelled when Hooklog disabled their endpoint.
    case failed = 1
    /// Every finished delivery.
    case all = 2

    /// What a replay re-sends when not told: the failed ones (as `POST /v1/replays` and
    /// `hooklog resend` both take it).
    public static let byDefault = ReplayStatusFilter.failed

    /// The filter the API names `name`, if any.
    public init?(name: String) {
        guard let filter = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = filter
    }

    /// The name the API uses: `failed`, `all`.
    public var name: String {
        switch self {
        case .failed: "failed"
        case .all: "all"
        }
    }
}
