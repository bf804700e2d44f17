/// Why a delivery was stopped before it finished. The raw value is the wire tag.
public enum DeliveryCancelReason: UInt8, Sendable, CaseIterable {
    /// Its endpoint was disabled.
    case endpointDisabled = 1
    /// Its endpoint was deleted.
    case endpointDeleted = 2
    /// Someone cancelled it.
    case byUser = 3

    /// The name the API shows: `endpoint_disabled`, `endpoint_deleted`, `by_user`.
    public var name: String {
        switch self {
        case .endpointDisabled: "endpoint_disabled"
        case .endpointDeleted: "endpoint_deleted"
        case .byUser: "by_user"
        }
    }
}
