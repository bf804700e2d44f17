import Foundation
import HooklogCore
import HooklogTestSupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A request as a receiver read it off the wire.
struct ReceivedRequest {
    var method: String
    var path: String
    /// Header names lower-cased, as receivers' frameworks present them.
    var headers: ReceivedHeaders
    var body: [UInt8]
}

/// A real HTTP/1.1 receiver on a loopback TCP port, and the client that posts to it.
///
/// One round trip runs on the calling thread: the client connects and writes the whole request (the kernel
/// completes the handshake and buffers the bytes), then the receiver accepts, parses the request, asks `judge`
/// for a status, and answers; the client reads the status line back. Bodies here are a few kB at most.
final class LoopbackReceiver {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let listener: Int32
    let port: UInt16

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 8) == 0 else {
            close(listener)
            throw Failure(description: "bind/listen: errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.listener = listener
        self.port = UInt16(bigEndian: address.sin_port)
    }

    deinit {
        close(self.listener)
    }

    /// Posts `request` to the receiver, which answers with `judge`'s status; returns that status as the client read it
    /// and the request as the receiver read it.
    func post(_ request: RenderedRequest, path: String = "/hooks", judge: (ReceivedRequest) -> Int) throws -> (
        status: Int, received: ReceivedRequest
    ) {
        let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard client >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        defer { close(client) }
        Self.setTimeout(client)
        var address = Self.loopback(port: self.port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(client, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(description: "connect: errno \(errno)") }

        var head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(self.port)\r\n"
        for header in request.headers {
            head += "\(header.name): \(header.value)\r\n"
        }
        head += "Content-Length: \(request.body.count)\r\nConnection: close\r\n\r\n"
        try Self.writeAll(client, Array(head.utf8) + request.body)

        let connection = accept(self.listener, nil, nil)
        guard connection >= 0 else { throw Failure(description: "accept: errno \(errno)") }
        Self.setTimeout(connection)
        let received: ReceivedRequest
        do {
            received = try Self.readRequest(connection)
        } catch {
            close(connection)
            throw error
        }
        let status = judge(received)
        try Self.writeAll(connection, Array("HTTP/1.1 \(status) Judged\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
        close(connection)

        var response: [UInt8] = []
        while true {
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            response += buffer[..<count]
        }
        let statusLine = String(decoding: response.prefix { $0 != 0x0D }, as: UTF8.self).split(separator: " ")
        guard statusLine.count >= 2, statusLine[0] == "HTTP/1.1", let answered = Int(statusLine[1]) else {
            throw Failure(description: "bad response: \(String(decoding: response, as: UTF8.self))")
        }
        return (answered, received)
    }

    private static func readRequest(_ connection: Int32) throws -> ReceivedRequest {
        var bytes: [UInt8] = []
        let separator: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A]
        var headEnd: Int?
        var contentLength = 0
        while true {
            if headEnd == nil, let end = Self.find(separator, in: bytes) {
                headEnd = end
                contentLength =
                    Self.headerLines(bytes[..<end])
                    .first { $0.name == "content-length" }
                    .flatMap { Int($0.value) } ?? 0
            }
            if let headEnd, bytes.count >= headEnd + 4 + contentLength { break }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { throw Failure(description: "connection ended inside the request") }
            bytes += buffer[..<count]
        }
        let end = headEnd!
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = lines[0].split(separator: " ")
        var headers: ReceivedHeaders = [:]
        for line in Self.headerLines(bytes[..<end]) where headers[line.name] == nil {
            headers[line.name] = line.value
        }
        return ReceivedRequest(
            method: String(requestLine[0]),
            path: String(requestLine[1]),
            headers: headers,
            body: Array(bytes[(end + 4)..<(end + 4 + contentLength)])
        )
    }

    private static func headerLines(_ head: ArraySlice<UInt8>) -> [(name: String, value: String)] {
        String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n").dropFirst().compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let value = line[line.index(after: colon)...].drop { $0 == " " }
            return (line[..<colon].lowercased(), String(value))
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { Array(haystack[$0..<($0 + needle.count)]) == needle }
    }

    private static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { throw Failure(description: "send: errno \(errno)") }
            offset += written
        }
    }

    private static func setTimeout(_ descriptor: Int32) {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
        return address
    }
}
