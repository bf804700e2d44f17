/// Why a delivery was stopped before it finished. The raw value is the wire tag.
public enum DeliveryCancelReason: UInt8, Sendable, CaseIterable {
    /// Its endpoint was disabled by its owner (before `endpointFailing` existed, by Hooklog too).
    case endpointDisabled = 1
    /// Its endpoint was deleted.
    case endpointDeleted = 2
    /// Someone cancelled it.
    case byUser = 3
    /// Its endpoint was disabled by Hooklog: failing too long, or gone (410).
    case endpointFailing = 4

    /// The name the API shows: `endpoint_disabled`, `endpoint_deleted`, `by_user`, `endpoint_failing`.
    public var name: String {
        switch self {
        case .endpointDisabled: "endpoint_disabled"
        case .endpointDeleted: "endpoint_deleted"
        case .byUser: "by_user"
        case .endpointFailing: "endpoint_failing"
        }
    }

    /// Why the deliveries waiting for an endpoint are cancelled when it is disabled for `reason`.
    public static func disabling(_ reason: EndpointDisabledReason) -> DeliveryCancelReason {
        switch reason {
        case .byUser: .endpointDisabled
        case .failingTooLong, .gone: .endpointFailing
        }
    }
}
