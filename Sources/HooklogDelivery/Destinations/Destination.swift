import Foundation

/// A URL that may receive webhooks, taken apart.
public struct Destination: Sendable, Equatable {
    /// The URL as given.
    public let url: String
    /// `https` (or `http` where private networks are allowed).
    public let scheme: String
    /// The host name or address literal, without brackets.
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
        guard let host = components.host, !host.isEmpty else { throw .malformed("it has no host") }
        guard components.user == nil, components.password == nil else {
            throw .malformed("credentials in the URL are not accepted; use the endpoint's bearer token")
        }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        guard (1...65_535).contains(port) else { throw .malformed("port \(port) is out of range") }
        self.url = url
        self.scheme = scheme
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.port = port
    }
}
