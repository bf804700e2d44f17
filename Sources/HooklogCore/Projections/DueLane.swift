/// Which waiting deliveries take free slots first (`due`, `targetDue`): live ones (new,
/// retrying, retried by hand) before those a replay reopened, so that a large replay to an
/// endpoint back from an outage never holds up what happens now; the replay goes on in the
/// slots live traffic leaves free.
public enum DueLane: UInt8, Sendable, CaseIterable {
    case live = 0
    case replay = 1

    /// The first byte no lane's `due` keys start with: keys from it on are in no lane.
    public static let firstByteAfterLanes = DueLane.allCases.map(\.rawValue).max()! + 1

    /// The name metrics give the lane: `live` or `replay`.
    public var name: String {
        switch self {
        case .live: "live"
        case .replay: "replay"
        }
    }

    /// The lane of a delivery replayed by `replayId`, if any.
    public init(replayId: ReplayID?) {
        self = replayId == nil ? .live : .replay
    }
}
