import Glibc
@testable import HooklogDelivery
import Synchronization
import Testing

@Suite("Destination guard (SSRF)")
struct DestinationGuardTests {
    let production = DestinationGuard(allowsPrivateNetworks: false)

    @Test(arguments: [
        "https://127.0.0.1/hook",
        "https://10.0.0.1/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://localhost/hook",
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://192.168.1.20:8443/hook",
        "https://172.20.0.5/hook",
        "https://0.0.0.0/hook",
        "https://2130706433/hook",
        "https://0x7f.1/hook",
        "https://[fd00:ec2::254]/hook",
        "https://[fe80::1]/hook",
        "https://100.64.0.1/hook",
    ])
    func privateLoopbackAndMetadataAddressesAreRefused(url: String) async throws {
        let error = await #expect(throws: DestinationError.self) { try await production.check(url) }
        #expect(error?.description.contains("cannot receive webhooks") == true, "\(String(describing: error))")
    }

    @Test(arguments: ["https://10.0.0.1/hook", "https://[::1]/hook", "https://0x7f.1/hook", "https://169.254.169.254/latest", "https://2130706433/hook"])
    func withoutALookupAddressLiteralsAreStillJudged(url: String) async throws {
        let error = #expect(throws: DestinationError.self) { try production.checkWithoutLookup(url) }
        #expect(error?.description.contains("cannot receive webhooks") == true, "\(String(describing: error))")
    }

    @Test func withoutALookupANameIsLeftForTheSendToCheck() throws {
        let destination = try production.checkWithoutLookup("https://receiver.example/hook")
        #expect(destination.host == "receiver.example")
        #expect(throws: DestinationError.self) { try production.checkWithoutLookup("http://receiver.example/hook") }
    }

    @Test(arguments: ["http://93.184.215.14/hook", "ftp://93.184.215.14/hook"])
    func anythingButHTTPSIsRefusedInProduction(url: String) async throws {
        let error = await #expect(throws: DestinationError.self) { try await production.check(url) }
        #expect(error?.description.contains("must use https") == true)
    }

    /// Besides the plainly malformed: hosts that an escape or a lone bracket makes read otherwise
    /// by the client than by the check (which would connect unpinned, to whatever DNS says then).
    @Test(arguments: [
        "not a url", "https://", "https://user:secret@93.184.215.14/", "/relative/path", "https://93.184.215.14:70000/",
        "https://rebind.attacker.example%5D/", "https://rebind.attacker.example%5B/", "https://receiver.example%00.evil/", "https://[fe80::1%25eth0]/",
    ])
    func malformedURLsAreRefusedWithAReason(url: String) async throws {
        let error = await #expect(throws: DestinationError.self) { try await production.check(url) }
        #expect(error?.description.hasPrefix("the URL is not valid") == true || error?.description.contains("https") == true)
    }

    @Test func publicAddressLiteralPasses() async throws {
        let destination = try await production.check("https://93.184.215.14:8443/hooks?x=1")
        #expect(destination.host == "93.184.215.14")
        #expect(destination.port == 8443)
    }

    @Test func privateNetworksPassWhenAllowed() async throws {
        let development = DestinationGuard(allowsPrivateNetworks: true)
        let destination = try await development.check("http://127.0.0.1:9000/hook")
        #expect(destination.scheme == "http" && destination.port == 9000)
    }

    @Test(arguments: [
        ([8, 8, 8, 8], true), ([127, 0, 0, 1], false), ([10, 1, 2, 3], false), ([172, 15, 0, 1], true),
        ([172, 16, 0, 1], false), ([172, 31, 255, 255], false), ([172, 32, 0, 1], true), ([169, 254, 169, 254], false),
        ([192, 168, 0, 1], false), ([224, 0, 0, 1], false), ([255, 255, 255, 255], false), ([1, 1, 1, 1], true),
    ] as [([UInt8], Bool)])
    func ipv4AddressesAreClassifiedByTheirRange(bytes: [UInt8], isPublic: Bool) {
        #expect((IPAddressClass.of(ipv4: bytes) == .publicInternet) == isPublic)
    }

    /// A name that resolves somewhere private is refused, and the refusal tells what kind of
    /// address, never which: it would map the service's network for whoever asks.
    @Test func aNameResolvingPrivatelyIsRefusedWithoutTellingTheAddress() async throws {
        let resolver = HostResolver { _ in .success([HostResolver.ResolvedAddress(text: "10.0.3.7", addressClass: .nonPublic("private"))]) }
        let guarded = DestinationGuard(allowsPrivateNetworks: false, lookupTimeoutMs: 1_000, resolver: resolver)
        let error = await #expect(throws: DestinationError.self) { try await guarded.check("https://db.internal.corp/hook") }
        #expect(error?.description == "db.internal.corp resolves to a private address, which cannot receive webhooks")
        #expect(error?.isUnresolvable == false)
    }

    /// An attempt connects to an address the check saw: for a name, those it resolved to, in the
    /// order found; for an address literal, itself (so that it goes through the capped pinned
    /// clients); nothing where private networks are allowed.
    @Test func anAttemptIsPinnedToTheAddressesItChecked() async throws {
        let addresses = ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"]
        let resolver = HostResolver { _ in .success(addresses.map { HostResolver.ResolvedAddress(text: $0, addressClass: .publicInternet) }) }
        let guarded = DestinationGuard(allowsPrivateNetworks: false, lookupTimeoutMs: 1_000, resolver: resolver)
        let pin = try await guarded.connectionPin(for: "https://Hooks.Example.com/hook")
        #expect(pin == ConnectionPin(host: "Hooks.Example.com", addresses: addresses), "every address, in the order found")
        #expect(try await guarded.connectionPin(for: "https://93.184.215.14:8443/hook") == ConnectionPin(host: "93.184.215.14", addresses: ["93.184.215.14"]))
        #expect(try await guarded.connectionPin(for: "https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/hook") == ConnectionPin(host: addresses[1], addresses: [addresses[1]]))
        // An international name is looked up, and pinned, as the client connects to it: in ASCII.
        let lookedUp = Mutex<[String]>([])
        let recording = HostResolver { host in
            lookedUp.withLock { $0.append(host) }
            return .success([HostResolver.ResolvedAddress(text: addresses[0], addressClass: .publicInternet)])
        }
        let international = DestinationGuard(allowsPrivateNetworks: false, lookupTimeoutMs: 1_000, resolver: recording)
        let internationalPin = try await international.connectionPin(for: "https://bücher.example/hook")
        #expect(internationalPin == ConnectionPin(host: "xn--bcher-kva.example", addresses: [addresses[0]]) && lookedUp.withLock { $0 } == ["xn--bcher-kva.example"])
        let development = DestinationGuard(allowsPrivateNetworks: true, lookupTimeoutMs: 1_000, resolver: resolver)
        #expect(try await development.connectionPin(for: "http://hooks.example.com/hook") == nil)

        let rebinding = HostResolver { _ in
            .success([
                HostResolver.ResolvedAddress(text: "93.184.215.14", addressClass: .publicInternet),
                HostResolver.ResolvedAddress(text: "127.0.0.1", addressClass: .nonPublic("loopback")),
            ])
        }
        let refusing = DestinationGuard(allowsPrivateNetworks: false, lookupTimeoutMs: 1_000, resolver: rebinding)
        await #expect(throws: DestinationError.self) { try await refusing.connectionPin(for: "https://hooks.example.com/hook") }
    }

    @Test func ipv6PublicAddressIsPublicAndMappedLoopbackIsNot() {
        let google: [UInt8] = [0x20, 0x01, 0x48, 0x60, 0x48, 0x60, 0, 0, 0, 0, 0, 0, 0, 0, 0x88, 0x88]
        #expect(IPAddressClass.of(ipv6: google) == .publicInternet)
        let mappedLoopback: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 127, 0, 0, 1]
        #expect(IPAddressClass.of(ipv6: mappedLoopback) == .nonPublic("loopback"))
        let nat64Private: [UInt8] = [0, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 1]
        #expect(IPAddressClass.of(ipv6: nat64Private) == .nonPublic("private"))
    }

    /// Spellings of IPv6 that reach an IPv4 address, or a network that is not the internet, where
    /// a route exists (6to4, NAT64, a sit tunnel).
    @Test(arguments: [
        ("::7f00:1", "IPv4-compatible (deprecated)"),
        ("::a00:1", "IPv4-compatible (deprecated)"),
        ("64:ff9b:1::a00:1", "local-use NAT64"),
        ("2002:7f00:1::1", "loopback"),
        ("2002:a9fe:a9fe::", "link-local (cloud metadata)"),
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "IETF protocol assignments (Teredo, benchmarking)"),
        ("2001:2::1", "IETF protocol assignments (Teredo, benchmarking)"),
        ("100::1", "discard-only"),
        ("fd00::1", "unique local (private)"),
        ("fe80::1", "link-local"),
        ("ff02::1", "multicast"),
        ("2001:db8::1", "documentation"),
        ("3fff::1", "documentation"),
        ("5f00::1", "segment routing (SRv6)"),
        ("::ffff:0:7f00:1", "loopback"),
    ])
    func ipv6SpellingsOfNonPublicNetworksAreNotPublic(address: String, reason: String) throws {
        #expect(IPAddressClass.of(ipv6: try Self.ipv6Bytes(address)) == .nonPublic(reason))
    }

    @Test(arguments: ["2606:4700:4700::1111", "2002:808:808::1", "2001:200::1", "2a00:1450:4001::200e", "64:ff9b::808:808"])
    func ipv6PublicAddressesArePublic(address: String) throws {
        #expect(IPAddressClass.of(ipv6: try Self.ipv6Bytes(address)) == .publicInternet)
    }

    private static func ipv6Bytes(_ text: String) throws -> [UInt8] {
        var address = in6_addr()
        guard inet_pton(AF_INET6, text, &address) == 1 else { throw NotAnAddress(text: text) }
        return withUnsafeBytes(of: &address) { Array($0) }
    }
}

private struct NotAnAddress: Error {
    let text: String
}
