import Foundation
import Synchronization

/// A TCP proxy on a loopback port in front of a server on another: each request goes through
/// whole and its whole answer comes back, except the first `droppedAnswerCount` answers, which are
/// read from the server and then lost: the client's connection is closed with nothing written.
/// That is a fault between a client and Hooklog (a proxy restarting, a connection cut) after
/// the request was taken, which only an idempotent retry survives.
///
/// One request per connection (it asks the server to close after answering); each connection is
/// served on a thread of its own.
final class AnswerDroppingProxy: Sendable {
    let baseURL: String
    private let listener: Int32
    private let upstreamPort: UInt16
    private let state: Mutex<State>

    private struct State {
        var answersToDrop: Int
        /// The server's answers, in the order they came, and whether each was dropped.
        var answers: [(text: String, dropped: Bool)] = []
    }

    /// The server's answers so far, header and body, and whether each was dropped.
    var answers: [(text: String, dropped: Bool)] { self.state.withLock { $0.answers } }

    /// A proxy to `upstreamBaseURL` (`http://127.0.0.1:<port>`) losing the first `droppedAnswerCount` answers.
    init(to upstreamBaseURL: String, droppingFirst droppedAnswerCount: Int) throws {
        guard let port = upstreamBaseURL.split(separator: ":").last.flatMap({ UInt16($0) }) else {
            throw ProxyError("no port in \(upstreamBaseURL)")
        }
        self.upstreamPort = port
        self.state = Mutex(State(answersToDrop: droppedAnswerCount))
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = Self.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && listen(listener, 16) == 0 && getsockname(listener, $0, &length) == 0
            }
        }
        guard bound else {
            close(listener)
            throw ProxyError("cannot listen: errno \(errno)")
        }
        self.listener = listener
        self.baseURL = "http://127.0.0.1:\(UInt16(bigEndian: address.sin_port))"
        Thread.detachNewThread { [self] in
            while true {
                let connection = accept(listener, nil, nil)
                guard connection >= 0 else { return }
                Thread.detachNewThread { self.serve(connection) }
            }
        }
    }

    func stop() {
        shutdown(self.listener, Int32(SHUT_RDWR))
        close(self.listener)
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        guard let request = Self.readRequest(from: client), let answer = self.ask(request) else { return }
        let dropped = self.state.withLock { state in
            let dropped = state.answersToDrop > 0
            if dropped { state.answersToDrop -= 1 }
            state.answers.append((String(decoding: answer, as: UTF8.self), dropped))
            return dropped
        }
        if !dropped { Self.writeAll(answer, to: client) }
    }

    /// Sends `request` to the server and reads its whole answer (it closes after it).
    private func ask(_ request: [UInt8]) -> [UInt8]? {
        let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(upstream) }
        var address = Self.loopback(port: self.upstreamPort)
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else { return nil }
        // A server that kept the connection open would hold this thread past the test: 10 s at most.
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(upstream, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        Self.writeAll(request, to: upstream)
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = read(upstream, &buffer, buffer.count)
            guard count > 0 else { break }
            answer += buffer[0..<count]
        }
        return answer.isEmpty ? nil : answer
    }

    /// Reads one request (its head, then `Content-Length` bytes of body) and returns it asking
    /// the server to close the connection after answering.
    private static func readRequest(from client: Int32) -> [UInt8]? {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        let separator = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        var bodyLength = 0
        while headEnd.map({ received.count < $0 + bodyLength }) ?? true {
            let count = read(client, &buffer, buffer.count)
            guard count > 0 else { return nil }
            received += buffer[0..<count]
            if headEnd == nil, let end = received.firstRange(of: separator)?.upperBound {
                headEnd = end
                let head = String(decoding: received[..<end], as: UTF8.self).lowercased()
                bodyLength = head.split(separator: "\r\n")
                    .first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            }
        }
        guard let headEnd else { return nil }
        let lines = String(decoding: received[..<(headEnd - separator.count)], as: UTF8.self).components(separatedBy: "\r\n")
        let head = lines.filter { !$0.lowercased().hasPrefix("connection:") } + ["Connection: close"]
        return Array((head.joined(separator: "\r\n") + "\r\n\r\n").utf8) + received[headEnd...]
    }

    private static func writeAll(_ bytes: [UInt8], to socket: Int32) {
        var offset = 0
        while offset < bytes.count {
            // MSG_NOSIGNAL: a peer gone away is an error here, not a SIGPIPE ending the tests.
            let written = bytes[offset...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { return }
            offset += written
        }
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        return address
    }

    struct ProxyError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
