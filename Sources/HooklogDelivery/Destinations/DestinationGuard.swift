import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// Keeps webhooks away from the private network (SSRF): only `https` URLs whose host resolves to
/// public addresses pass, unless private networks are allowed (tests, local development).
///
/// Checked when an endpoint is created and again before every attempt, so that a name that
/// later resolves somewhere private (DNS rebinding) is caught at delivery time.
public struct DestinationGuard: Sendable {
    /// Whether `http://` and loopback, private and link-local addresses are accepted.
    public let allowsPrivateNetworks: Bool

    /// A guard; `allowsPrivateNetworks` is `HOOKLOG_ALLOW_PRIVATE_URLS`.
    public init(allowsPrivateNetworks: Bool) {
        self.allowsPrivateNetworks = allowsPrivateNetworks
    }

    /// Checks the URL's form and every address its host resolves to.
    @discardableResult
    public func check(_ url: String) async throws(DestinationError) -> Destination {
        let destination = try Destination(parsing: url, allowingHTTP: self.allowsPrivateNetworks)
        if !self.allowsPrivateNetworks {
            try await self.checkAddresses(of: destination)
        }
        return destination
    }

    /// Resolves the destination's host and refuses it if any address is not public.
    public func checkAddresses(of destination: Destination) async throws(DestinationError) {
        let addresses: [ResolvedAddress]
        do {
            addresses = try await NIOThreadPool.singleton.runIfActive { try Self.resolve(destination.host) }
        } catch let error as DestinationError {
            throw error
        } catch {
            throw .unresolvable(host: destination.host, reason: "\(error)")
        }
        for address in addresses {
            if case .nonPublic(let reason) = address.addressClass {
                throw .nonPublicAddress(host: destination.host, address: address.text, reason: reason)
            }
        }
    }

    private struct ResolvedAddress {
        let text: String
        let addressClass: IPAddressClass
    }

    /// getaddrinfo(3), which also reads address literals in every form it accepts (`0x7f.1`, …).
    private static func resolve(_ host: String) throws -> [ResolvedAddress] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let first = list else {
            throw DestinationError.unresolvable(host: host, reason: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(list) }
        var addresses: [ResolvedAddress] = []
        for entry in sequence(first: first, next: { $0.pointee.ai_next }) {
            guard let socketAddress = entry.pointee.ai_addr else { continue }
            switch Int32(socketAddress.pointee.sa_family) {
            case AF_INET:
                let address = socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                let bytes = withUnsafeBytes(of: address) { Array($0) }
                addresses.append(ResolvedAddress(text: Self.text(family: AF_INET, bytes), addressClass: .of(ipv4: bytes)))
            case AF_INET6:
                let address = socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                let bytes = withUnsafeBytes(of: address) { Array($0) }
                addresses.append(ResolvedAddress(text: Self.text(family: AF_INET6, bytes), addressClass: .of(ipv6: bytes)))
            default:
                continue
            }
        }
        guard !addresses.isEmpty else { throw DestinationError.unresolvable(host: host, reason: "no IP addresses") }
        return addresses
    }

    /// inet_ntop(3) of an address's network-order bytes.
    private static func text(family: Int32, _ bytes: [UInt8]) -> String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        _ = bytes.withUnsafeBytes { inet_ntop(family, $0.baseAddress, &buffer, socklen_t(buffer.count)) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
