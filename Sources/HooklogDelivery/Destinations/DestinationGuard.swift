public import HooklogCore

/// Keeps webhooks away from the private network (SSRF): only `https` URLs whose host resolves to
/// public addresses pass, unless private networks are allowed (tests, local development).
///
/// Checked when an endpoint is created and again before every attempt, so that a name that
/// later resolves somewhere private is caught at delivery time. Names are resolved by
/// `HostResolver`: its answers are at most ten seconds old. An attempt then connects to an
/// address it checked (`connectionPin`), not to whatever the name resolves to when the client
/// connects: a name whose DNS answer changes in between (DNS rebinding) gets no further.
public struct DestinationGuard: Sendable {
    /// Whether `http://` and loopback, private and link-local addresses are accepted.
    public let allowsPrivateNetworks: Bool
    /// How long a check waits for DNS before the host counts as unresolvable.
    public let lookupTimeoutMs: Int64
    /// Whose check this is: its lookups count among that tenant's (`HostResolver`).
    public let tenantId: TenantID?
    private let resolver: HostResolver

    /// The longest a check waits for DNS unless told otherwise.
    public static let defaultLookupTimeoutMs: Int64 = 5_000

    /// A guard; `allowsPrivateNetworks` is `HOOKLOG_ALLOW_PRIVATE_URLS`, `lookupTimeoutMs` the
    /// longest a check waits for DNS, `tenantId` whose URLs it checks.
    public init(allowsPrivateNetworks: Bool, lookupTimeoutMs: Int64 = Self.defaultLookupTimeoutMs, for tenantId: TenantID? = nil) {
        self.init(allowsPrivateNetworks: allowsPrivateNetworks, lookupTimeoutMs: lookupTimeoutMs, for: tenantId, resolver: .shared)
    }

    package init(allowsPrivateNetworks: Bool, lookupTimeoutMs: Int64, for tenantId: TenantID? = nil, resolver: HostResolver) {
        self.allowsPrivateNetworks = allowsPrivateNetworks
        self.lookupTimeoutMs = lookupTimeoutMs
        self.tenantId = tenantId
        self.resolver = resolver
    }

    /// Checks the URL's form and every address its host resolves to.
    @discardableResult
    public func check(_ url: String) async throws(DestinationError) -> Destination {
        let destination = try self.checkWithoutLookup(url)
        if !self.allowsPrivateNetworks {
            try await self.checkAddresses(of: destination)
        }
        return destination
    }

    /// Checks the URL's form, and the address its host spells if it is an address literal, with
    /// no DNS lookup: for a caller that cannot wait for one (a mid-call invocation's budget runs
    /// already), and checks the name when it sends.
    @discardableResult
    public func checkWithoutLookup(_ url: String) throws(DestinationError) -> Destination {
        let destination = try Destination(parsing: url, allowingHTTP: self.allowsPrivateNetworks)
        guard !self.allowsPrivateNetworks else { return destination }
        if let addresses = HostResolver.literalAddresses(destination.host) {
            try Self.requirePublic(addresses, of: destination)
        }
        // Names that are loopback by definition (RFC 6761), told without a lookup.
        let host = destination.host.lowercased()
        if host == "localhost" || host.hasSuffix(".localhost") {
            throw .nonPublicAddress(host: destination.host, address: "127.0.0.1", reason: "loopback")
        }
        return destination
    }

    /// Resolves the destination's host and refuses it if any address is not public; returns the addresses.
    @discardableResult
    func checkAddresses(of destination: Destination) async throws(DestinationError) -> [HostResolver.ResolvedAddress] {
        let addresses = try await self.resolver.addresses(of: destination.host, timeoutMs: self.lookupTimeoutMs, for: self.tenantId)
        try Self.requirePublic(addresses, of: destination)
        return addresses
    }

    /// Checks `url` as `check` does, and says where a request to it connects: for a name, the
    /// addresses just checked, in the order found (the resolver's preference), never what the
    /// name resolves to a moment later; for an address literal, itself. `nil` where private
    /// networks are allowed: there is nothing to keep away from, and the client's own lookup
    /// tries every address.
    public func connectionPin(for url: String) async throws(DestinationError) -> ConnectionPin? {
        let destination = try self.checkWithoutLookup(url)
        guard !self.allowsPrivateNetworks else { return nil }
        if let literal = HostResolver.literalAddresses(destination.host) {
            // Pinned to itself all the same, so that it goes through the pinned clients, which are
            // capped and swept when idle: the shared client keeps a pool per host and port for
            // good, and literals (any port, any address of a /64) are as many as a tenant likes.
            return ConnectionPin(host: destination.host, addresses: literal.map(\.text))
        }
        let addresses = try await self.checkAddresses(of: destination).map(\.text)
        guard !addresses.isEmpty else { throw .unresolvable(host: destination.host, reason: "it resolves to no address") }
        return ConnectionPin(host: destination.host, addresses: addresses)
    }

    private static func requirePublic(_ addresses: [HostResolver.ResolvedAddress], of destination: Destination) throws(DestinationError) {
        for address in addresses {
            if case .nonPublic(let reason) = address.addressClass {
                throw .nonPublicAddress(host: destination.host, address: address.text, reason: reason)
            }
        }
    }
}
