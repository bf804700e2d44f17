import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Resolves the hosts the destination check looks at, for every attempt.
///
/// `getaddrinfo` blocks, and glibc keeps no cache: run per attempt on a shared pool of two
/// threads, one customer's unresponsive DNS would hold every other endpoint's attempts up, and
/// a busy endpoint would pay a lookup per delivery. So lookups run on threads of their own, one
/// lookup per host at a time (callers asking for a host being looked up wait for that lookup),
/// answers are kept for a few seconds, and every caller waits at most its own deadline.
final class HostResolver: Sendable {
    /// One address a host resolved to.
    struct ResolvedAddress: Sendable, Equatable {
        let text: String
        let addressClass: IPAddressClass
    }

    /// What a lookup gave: the addresses, or why there are none.
    typealias Answer = Result<[ResolvedAddress], DestinationError>

    /// The resolver of the process.
    static let shared = HostResolver()

    private struct Waiter {
        let continuation: CheckedContinuation<[ResolvedAddress], any Error>
        var deadline: Task<Void, Never>?
    }

    private enum Entry {
        case looking(waiters: [UInt64: Waiter])
        case answered(Answer, atMs: Int64)
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var nextWaiterId: UInt64 = 0
    }

    private let state = Mutex(State())
    private let pool: NIOThreadPool
    private let answerKeptMs: Int64
    private let failureKeptMs: Int64
    private let lookup: @Sendable (String) -> Answer
    private let clock = ContinuousClock()
    private let startedAt: ContinuousClock.Instant

    /// A resolver with `threadCount` lookup threads, keeping addresses `answerKeptMs` and
    /// failures `failureKeptMs`; `lookup` is `getaddrinfo` unless a test stands in for it.
    init(
        threadCount: Int = 8,
        answerKeptMs: Int64 = 5_000,
        failureKeptMs: Int64 = 1_000,
        lookup: @escaping @Sendable (String) -> Answer = HostResolver.systemLookup
    ) {
        self.pool = NIOThreadPool(numberOfThreads: threadCount)
        self.pool.start()
        self.answerKeptMs = answerKeptMs
        self.failureKeptMs = failureKeptMs
        self.lookup = lookup
        self.startedAt = self.clock.now
    }

    deinit {
        self.pool.shutdownGracefully { _ in }
    }

    /// The addresses `host` resolves to; `unresolvable` when it resolves to none, or when no
    /// answer comes within `timeoutMs`.
    func addresses(of host: String, timeoutMs: Int64) async throws(DestinationError) -> [ResolvedAddress] {
        let nowMs = self.elapsedMs()
        let kept: Answer? = self.state.withLock { state in
            guard case .answered(let answer, let atMs)? = state.entries[host] else { return nil }
            let keptMs = (try? answer.get()) == nil ? self.failureKeptMs : self.answerKeptMs
            return nowMs - atMs < keptMs ? answer : nil
        }
        if let kept { return try kept.get() }
        do {
            return try await withCheckedThrowingContinuation { continuation in
                self.wait(for: host, timeoutMs: timeoutMs, continuation)
            }
        } catch let error as DestinationError {
            throw error
        } catch {
            throw .unresolvable(host: host, reason: "\(error)")
        }
    }

    /// Registers `continuation` for `host`'s answer, starting a lookup unless one is running, and
    /// arms its deadline.
    private func wait(for host: String, timeoutMs: Int64, _ continuation: CheckedContinuation<[ResolvedAddress], any Error>) {
        let (waiterId, startsLookup) = self.state.withLock { state in
            let waiterId = state.nextWaiterId
            state.nextWaiterId += 1
            var waiters: [UInt64: Waiter] = [:]
            var startsLookup = true
            if case .looking(let current)? = state.entries[host] {
                waiters = current
                startsLookup = false
            }
            waiters[waiterId] = Waiter(continuation: continuation)
            state.entries[host] = .looking(waiters: waiters)
            return (waiterId, startsLookup)
        }
        if startsLookup {
            let lookup = self.lookup
            self.pool.submit { _ in self.answer(host, with: lookup(host)) }
        }
        let deadline = Task {
            try? await Task.sleep(for: .milliseconds(timeoutMs))
            guard !Task.isCancelled else { return }
            self.giveUp(waiterId, on: host, afterMs: timeoutMs)
        }
        let isWaiting = self.state.withLock { state in
            guard case .looking(var waiters)? = state.entries[host], waiters[waiterId] != nil else { return false }
            waiters[waiterId]?.deadline = deadline
            state.entries[host] = .looking(waiters: waiters)
            return true
        }
        if !isWaiting { deadline.cancel() }
    }

    /// Keeps `answer` for `host` and hands it to everyone waiting for it.
    private func answer(_ host: String, with answer: Answer) {
        let nowMs = self.elapsedMs()
        let waiters = self.state.withLock { state -> [Waiter] in
            guard case .looking(let waiters)? = state.entries[host] else { return [] }
            state.entries[host] = .answered(answer, atMs: nowMs)
            return Array(waiters.values)
        }
        for waiter in waiters {
            waiter.deadline?.cancel()
            waiter.continuation.resume(with: answer.mapError { $0 as any Error })
        }
    }

    /// Stops one caller's wait at its deadline; the lookup goes on for the others.
    private func giveUp(_ waiterId: UInt64, on host: String, afterMs timeoutMs: Int64) {
        let waiter = self.state.withLock { state -> Waiter? in
            guard case .looking(var waiters)? = state.entries[host], let waiter = waiters.removeValue(forKey: waiterId) else { return nil }
            state.entries[host] = .looking(waiters: waiters)
            return waiter
        }
        waiter?.continuation.resume(throwing: DestinationError.unresolvable(host: host, reason: "no answer from DNS within \(timeoutMs) ms"))
    }

    private func elapsedMs() -> Int64 {
        let elapsed = self.startedAt.duration(to: self.clock.now).components
        return elapsed.seconds * 1_000 + elapsed.attoseconds / 1_000_000_000_000_000
    }

    /// getaddrinfo(3), which also reads address literals in every form it accepts (`0x7f.1`, …).
    static func systemLookup(_ host: String) -> Answer {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let first = list else {
            return .failure(.unresolvable(host: host, reason: String(cString: gai_strerror(status))))
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
        guard !addresses.isEmpty else { return .failure(.unresolvable(host: host, reason: "no IP addresses")) }
        return .success(addresses)
    }

    /// inet_ntop(3) of an address's network-order bytes.
    private static func text(family: Int32, _ bytes: [UInt8]) -> String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        _ = bytes.withUnsafeBytes { inet_ntop(family, $0.baseAddress, &buffer, socklen_t(buffer.count)) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
