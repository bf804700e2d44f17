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

    /// Classifies an IPv6 address given as sixteen bytes; IPv4-mapped, NAT64 and 6to4 addresses
    /// are judged by the IPv4 address inside them.
    public static func of(ipv6 bytes: [UInt8]) -> IPAddressClass {
        precondition(bytes.count == 16, "an IPv6 address has 16 bytes")
        let embeddedPrefixes: [[UInt8]] = [
            [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF],  // ::ffff:a.b.c.d
            [0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0, 0],  // ::ffff:0:a.b.c.d (IPv4-translated)
            [0, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0],  // 64:ff9b::a.b.c.d (NAT64)
        ]
        if embeddedPrefixes.contains(Array(bytes[0..<12])) {
            return Self.of(ipv4: Array(bytes[12..<16]))
        }
        if bytes[0] == 0x20, bytes[1] == 0x02 {
            return Self.of(ipv4: Array(bytes[2..<6]))  // 2002:a.b.c.d::/48 (6to4)
        }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) {
            return .nonPublic(bytes[15] == 1 ? "loopback" : "unspecified")
        }
        for range in Self.nonPublicIPv6 where range.contains(bytes) {
            return .nonPublic(range.reason)
        }
        return .publicInternet
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

    private struct IPv6Range {
        let prefix: [UInt8]
        let prefixBits: Int
        let reason: String

        init(prefix: [UInt8], prefixBits: Int, reason: String) {
            precondition(prefix.count * 8 >= prefixBits, "a range's prefix spells all its bits")
            self.prefix = prefix
            self.prefixBits = prefixBits
            self.reason = reason
        }

        func contains(_ bytes: [UInt8]) -> Bool {
            let wholeBytes = self.prefixBits / 8
            guard bytes[0..<wholeBytes].elementsEqual(self.prefix[0..<wholeBytes]) else { return false }
            let restBits = self.prefixBits % 8
            guard restBits > 0 else { return true }
            let mask = UInt8(0xFF) << (8 - restBits)
            return bytes[wholeBytes] & mask == self.prefix[wholeBytes] & mask
        }
    }

    // RFC 6890 and later special-purpose IPv6 ranges that are not the public internet.
    private static let nonPublicIPv6: [IPv6Range] = [
        IPv6Range(prefix: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], prefixBits: 96, reason: "IPv4-compatible (deprecated)"),
        IPv6Range(prefix: [0, 0x64, 0xFF, 0x9B, 0, 1], prefixBits: 48, reason: "local-use NAT64"),
        IPv6Range(prefix: [0x01, 0, 0, 0, 0, 0, 0, 0], prefixBits: 64, reason: "discard-only"),
        IPv6Range(prefix: [0x20, 0x01, 0x00, 0x00], prefixBits: 23, reason: "IETF protocol assignments (Teredo, benchmarking)"),
        IPv6Range(prefix: [0x20, 0x01, 0x0D, 0xB8], prefixBits: 32, reason: "documentation"),
        IPv6Range(prefix: [0x3F, 0xFF, 0x00], prefixBits: 20, reason: "documentation"),
        IPv6Range(prefix: [0x5F, 0x00], prefixBits: 16, reason: "segment routing (SRv6)"),
        IPv6Range(prefix: [0xFC], prefixBits: 7, reason: "unique local (private)"),
        IPv6Range(prefix: [0xFE, 0x80], prefixBits: 10, reason: "link-local"),
        IPv6Range(prefix: [0xFE, 0xC0], prefixBits: 10, reason: "site-local"),
        IPv6Range(prefix: [0xFF], prefixBits: 8, reason: "multicast"),
    ]

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
