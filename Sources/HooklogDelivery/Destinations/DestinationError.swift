/// Why a URL may not receive webhooks.
public struct DestinationError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Internal: Equatable {
        case malformed(String)
        case schemeNotAllowed(String)
        case nonPublicAddress(host: String, address: String, reason: String)
        case unresolvable(host: String, reason: String, failure: LookupFailure)
    }

    /// Why a name gave no address, which says whether asking again soon may help.
    private enum LookupFailure: Equatable {
        /// DNS answered: the name has no address.
        case noAddress
        /// DNS gave no answer in time, or failed for now.
        case unanswered
        /// Hooklog's own lookups were all taken: this name was not asked about.
        case resolverBusy
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
    /// The host's name has no address: DNS says so.
    public static func unresolvable(host: String, reason: String) -> Self {
        Self(value: .unresolvable(host: host, reason: reason, failure: .noAddress))
    }
    /// DNS gave no answer for the host's name in time, or failed for now (`EAI_AGAIN`).
    package static func lookupUnanswered(host: String, reason: String) -> Self {
        Self(value: .unresolvable(host: host, reason: reason, failure: .unanswered))
    }
    /// Hooklog's DNS lookups were all taken, and the host's name was not looked up.
    package static func resolverBusy(host: String, reason: String) -> Self {
        Self(value: .unresolvable(host: host, reason: reason, failure: .resolverBusy))
    }

    /// Whether the host gave no address, for whatever reason (a transient failure at delivery time).
    public var isUnresolvable: Bool {
        if case .unresolvable = self.value { return true }
        return false
    }

    /// Whether the host may well resolve if asked again shortly: DNS did not answer, or Hooklog
    /// did not ask (`isResolverBusy`).
    public var isTemporary: Bool {
        if case .unresolvable(_, _, let failure) = self.value { return failure != .noAddress }
        return false
    }

    /// Whether the name was not looked up because Hooklog's lookups were all taken: the
    /// endpoint is not to blame.
    public var isResolverBusy: Bool {
        if case .unresolvable(_, _, .resolverBusy) = self.value { return true }
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
        case .unresolvable(let host, let reason, .noAddress):
            "\(host) does not resolve: \(reason)"
        case .unresolvable(let host, let reason, .unanswered):
            "\(host) could not be looked up: \(reason)"
        case .unresolvable(let host, let reason, .resolverBusy):
            "\(host) was not looked up: \(reason)"
        }
    }
}
