/// Whether an address may receive webhooks: only addresses on the public internet may,
/// unless the configuration allows private ones (tests, local development).
public enum IPAddressClass: Sendable, Equatable {
    /// A globally routable address.
    case publicInternet
    /// Loopback, private, link-local (the cloud metadata service), shared, reserved, documentation,
    /// multicast or unspecified: never a webhook receiver in production. The reason says which.
    case nonPublic(String)

    /// Classifies an IPv4 address given as four bytes.
    public static func of(ipv4 bytes: [UInt8]) -> IPAddressClass {
        precondition(bytes.count == 4, "an IPv4 address has 4 bytes")
        let value = bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        for range in Self.nonPublicIPv4 where value & range.mask == range.network {
            return .nonPublic(range.reason)
        }
        return .publicInternet
    }

    /// Classifies an IPv6 address given as sixteen bytes; IPv4-mapped, -compatible and NAT64
    /// addresses are judged by the IPv4 address inside them.
    public static func of(ipv6 bytes: [UInt8]) -> IPAddressClass {
        precondition(bytes.count == 16, "an IPv6 address has 16 bytes")
        let embeddedPrefixes: [[UInt8]] = [
            [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF],  // ::ffff:a.b.c.d
            [0, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0],  // 64:ff9b::a.b.c.d (NAT64)
        ]
        if embeddedPrefixes.contains(Array(bytes[0..<12])) {
            return Self.of(ipv4: Array(bytes[12..<16]))
        }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) {
            return .nonPublic(bytes[15] == 1 ? "loopback" : "unspecified")
        }
        switch (bytes[0], bytes[1]) {
        case (0xFE, let second) where second & 0xC0 == 0x80: return .nonPublic("link-local")
        case (0xFE, let second) where second & 0xC0 == 0xC0: return .nonPublic("site-local")
        case (let first, _) where first & 0xFE == 0xFC: return .nonPublic("unique local (private)")
        case (0xFF, _): return .nonPublic("multicast")
        case (0x20, 0x01) where bytes[2] == 0x0D && bytes[3] == 0xB8: return .nonPublic("documentation")
        default: return .publicInternet
        }
    }

    private struct IPv4Range {
        let network: UInt32
        let mask: UInt32
        let reason: String

        init(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, prefix: UInt32, _ reason: String) {
            self.mask = prefix == 0 ? 0 : ~UInt32(0) << (32 - prefix)
            self.network = (a << 24 | b << 16 | c << 8 | d) & self.mask
            self.reason = reason
        }
    }

    // RFC 6890 special-purpose ranges that must never be reached through a webhook.
    private static let nonPublicIPv4: [IPv4Range] = [
        IPv4Range(0, 0, 0, 0, prefix: 8, "unspecified (this network)"),
        IPv4Range(10, 0, 0, 0, prefix: 8, "private"),
        IPv4Range(100, 64, 0, 0, prefix: 10, "shared address space (carrier-grade NAT)"),
        IPv4Range(127, 0, 0, 0, prefix: 8, "loopback"),
        IPv4Range(169, 254, 0, 0, prefix: 16, "link-local (cloud metadata)"),
        IPv4Range(172, 16, 0, 0, prefix: 12, "private"),
        IPv4Range(192, 0, 0, 0, prefix: 24, "IETF protocol assignments"),
        IPv4Range(192, 0, 2, 0, prefix: 24, "documentation"),
        IPv4Range(192, 88, 99, 0, prefix: 24, "6to4 relay anycast"),
        IPv4Range(192, 168, 0, 0, prefix: 16, "private"),
        IPv4Range(198, 18, 0, 0, prefix: 15, "benchmarking"),
        IPv4Range(198, 51, 100, 0, prefix: 24, "documentation"),
        IPv4Range(203, 0, 113, 0, prefix: 24, "documentation"),
        IPv4Range(224, 0, 0, 0, prefix: 4, "multicast"),
        IPv4Range(240, 0, 0, 0, prefix: 4, "reserved"),
    ]
}
