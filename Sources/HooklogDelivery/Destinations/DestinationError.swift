/// Why a URL may not receive webhooks.
public struct DestinationError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Internal: Equatable {
        case malformed(String)
        case schemeNotAllowed(String)
        case nonPublicAddress(host: String, address: String, reason: String)
        case unresolvable(host: String, reason: String)
    }

    private let value: Internal

    /// The URL is not an absolute URL with a host, or carries credentials.
    public static func malformed(_ reason: String) -> Self { Self(value: .malformed(reason)) }
    /// The scheme is not `https` (or `http` where private networks are allowed).
    public static func schemeNotAllowed(_ scheme: String) -> Self { Self(value: .schemeNotAllowed(scheme)) }
    /// The host is, or resolves to, an address that is not on the public internet.
    public static func nonPublicAddress(host: String, address: String, reason: String) -> Self {
        Self(value: .nonPublicAddress(host: host, address: address, reason: reason))
    }
    /// The host's name does not resolve.
    public static func unresolvable(host: String, reason: String) -> Self {
        Self(value: .unresolvable(host: host, reason: reason))
    }

    /// Whether the host could not be resolved (a transient failure at delivery time).
    public var isUnresolvable: Bool {
        if case .unresolvable = self.value { return true }
        return false
    }

    /// A sentence an API user can act on.
    public var description: String {
        switch self.value {
        case .malformed(let reason):
            "the URL is not valid: \(reason)"
        case .schemeNotAllowed(let scheme):
            "endpoint URLs must use https, not \(scheme)"
        case .nonPublicAddress(let host, let address, let reason):
            // The address a name resolves to is not told: it would map the service's network.
            host == address
                ? "\(address) is a \(reason) address, which cannot receive webhooks"
                : "\(host) resolves to a \(reason) address, which cannot receive webhooks"
        case .unresolvable(let host, let reason):
            "\(host) does not resolve: \(reason)"
        }
    }
}
