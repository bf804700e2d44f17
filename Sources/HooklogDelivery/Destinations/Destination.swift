import Foundation

/// A URL that may receive webhooks, taken apart.
public struct Destination: Sendable, Equatable {
    /// The URL as given.
    public let url: String
    /// `https` (or `http` where private networks are allowed).
    public let scheme: String
    /// The host name or address literal, without brackets, as the HTTP client reads it from the
    /// URL (`connectionHost(of:)`): an international name in its ASCII (punycode) form, the name
    /// that is looked up and connected to.
    public let host: String
    /// The port, explicit or the scheme's default.
    public let port: Int

    /// Takes `url` apart; `https` only unless `allowingHTTP`.
    public init(parsing url: String, allowingHTTP: Bool) throws(DestinationError) {
        guard url.utf8.count <= 2048 else { throw .malformed("longer than 2048 bytes") }
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            throw .malformed("\"\(url)\" is not an absolute URL")
        }
        guard scheme == "https" || (scheme == "http" && allowingHTTP) else { throw .schemeNotAllowed(scheme) }
        guard let host = Self.connectionHost(of: url) else { throw .malformed("it has no host") }
        guard Self.isPlainHost(host) else { throw .malformed("its host \"\(host)\" holds characters no host name or address has") }
        guard components.user == nil, components.password == nil else {
            throw .malformed("credentials in the URL are not accepted; use the endpoint's bearer token")
        }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        guard (1...65_535).contains(port) else { throw .malformed("port \(port) is out of range") }
        self.url = url
        self.scheme = scheme
        self.host = host
        self.port = port
    }

    /// The host of `url` as AsyncHTTPClient takes it (`URL.host`, without IPv6 brackets), which
    /// is what its `dnsOverride` is looked up by; `nil` when there is none. (`URLComponents.host`
    /// would give an international name in Unicode, and the client connect to its ASCII form.)
    public static func connectionHost(of url: String) -> String? {
        guard let host = URL(string: url)?.host, !host.isEmpty else { return nil }
        return host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }

    /// Whether `host` is ASCII letters, digits, `-`, `_`, `.` and (an IPv6 literal's) `:` only.
    /// Anything else came from an escape in the URL (`%5D`, `%00`) or a lone bracket, which the
    /// HTTP client or the resolver may read as another host than the one checked and pinned.
    static func isPlainHost(_ host: String) -> Bool {
        host.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
            case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"): true
            default: false
            }
        }
    }
}
