import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("API connections")
struct ConnectionTimeoutTests {
    /// A client that connects and sends nothing (or trickles a request head) is cut off after the
    /// idle timeout, so it cannot hold a connection open for ever.
    @Test(.timeLimit(.minutes(1)), arguments: ["", "GET /healthz HTTP/1.1\r\nHost: x"])
    func aConnectionWithNoRequestInProgressIsClosedAfterTheIdleTimeout(sentFirst: String) async throws {
        let hooklog = try await APIHarness.start(connectionIdleTimeoutMs: 300)
        let socket = try Self.connect(port: URL(string: hooklog.baseURL)?.port ?? 0)
        if !sentFirst.isEmpty {
            _ = sentFirst.withCString { send(socket, $0, strlen($0), 0) }
        }
        let startedAt = ContinuousClock.now
        // Blocks until the server closes the connection (0: end of stream), or 10 s pass.
        var byte: UInt8 = 0
        let received = recv(socket, &byte, 1, 0)
        let waited = startedAt.duration(to: .now)
        close(socket)
        await hooklog.stop()
        #expect(received == 0, "the connection was not closed (recv gave \(received))")
        #expect(waited < .seconds(5))
    }

    private static func connect(port: Int) throws -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 else {
            close(descriptor)
            throw POSIXError(.ECONNREFUSED)
        }
        return descriptor
    }
}
