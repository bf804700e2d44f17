import Foundation
import HooklogCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Resolves the hosts the destination check looks at, for every attempt.
///
/// `getaddrinfo` blocks, and glibc keeps no cache: run per attempt on a shared pool of a few
/// threads, a few customers' unresponsive DNS would hold every other endpoint's attempts up in
/// the pool's queue, and a busy endpoint would pay a lookup per delivery. So each lookup runs on
/// a thread of its own (at most `maxRunningLookups` at once: past that a caller is refused at
/// once rather than queued; and `maxRunningLookupsPerTenant` started for one tenant, so that one
/// tenant's hanging names cannot take them all from the others: past that its new names wait,
/// within their callers' deadlines, for one of its lookups to end), one lookup per host at a time (callers asking for a host being
/// looked up wait for that lookup),
/// and every caller waits at most its own deadline (or until its task is cancelled). An answer is
/// used for `answerKeptMs`; after that, for up to `staleServedMs` more, the last addresses found
/// are still used while a fresh lookup runs (a failed refresh does not replace them), so that a
/// DNS hiccup does not stall a host that resolved before. The window stays short: the check
/// guards against private addresses, and the attempt connects to an address it checked. A
/// lookup running longer than `lookupGivenUpMs` counts as lost and the next caller starts
/// another; only the newest lookup's answer counts. Past `maxHostCount` hosts, the least
/// recently used are forgotten.
package final class HostResolver: Sendable {
    /// One address a host resolved to.
    package struct ResolvedAddress: Sendable, Equatable {
        let text: String
        let addressClass: IPAddressClass
    }

    /// What a lookup gave: the addresses, or why there are none.
    package typealias Answer = Result<[ResolvedAddress], DestinationError>

    /// The resolver of the process.
    package static let shared = HostResolver()

    private struct Waiter {
        let continuation: CheckedContinuation<[ResolvedAddress], any Error>
        var deadline: Task<Void, Never>?
    }

    private struct Entry {
        /// The last addresses found, and when: fresh, then served stale while a refresh runs or
        /// after it failed.
        var lastAddresses: [ResolvedAddress]?
        var lastAddressesAtMs: Int64 = 0
        /// The latest lookup's failure, when it came after `lastAddresses`.
        var failure: (error: DestinationError, atMs: Int64)?
        var lookupStartedAtMs: Int64?
        /// The newest lookup's number; an older one's answer, coming late, is ignored.
        var lookupGeneration: UInt64 = 0
        var waiters: [UInt64: Waiter] = [:]
        var lastUsedMs: Int64 = 0
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var nextWaiterId: UInt64 = 0
        /// Numbers lookups across hosts, so that a host forgotten and asked about again never
        /// reuses the number of a lookup still running.
        var lastLookupGeneration: UInt64 = 0
        /// Lookups whose thread has not returned, given up on or not.
        var runningLookups = 0
        /// Of them, those started for each tenant.
        var runningLookupsByTenant: [TenantID: Int] = [:]
        /// Hosts a tenant with all its lookups running waits to look up, first come first served.
        var hostsWaitingByTenant: [TenantID: [String]] = [:]

        /// Counts a lookup of `entry`'s host as running, `tenantId`'s, and returns its number.
        mutating func beginLookup(of entry: inout Entry, for tenantId: TenantID?, nowMs: Int64) -> UInt64 {
            self.runningLookups += 1
            if let tenantId { self.runningLookupsByTenant[tenantId, default: 0] += 1 }
            self.lastLookupGeneration += 1
            entry.lookupStartedAtMs = nowMs
            entry.lookupGeneration = self.lastLookupGeneration
            return entry.lookupGeneration
        }
    }

    /// What a caller does, decided under the lock: take an answer now, or wait (registered)
    /// for the next one; and which lookup it starts, if any.
    private enum Plan {
        case answer(Answer, startsLookup: UInt64?)
        case wait(waiterId: UInt64, startsLookup: UInt64?)
    }

    private let state = Mutex(State())
    private let maxRunningLookups: Int
    private let maxRunningLookupsPerTenant: Int
    private let answerKeptMs: Int64
    private let failureKeptMs: Int64
    private let staleServedMs: Int64
    private let lookupGivenUpMs: Int64
    private let maxHostCount: Int
    private let lookup: @Sendable (String) -> Answer
    private let clock = ContinuousClock()
    private let startedAt: ContinuousClock.Instant

    /// A resolver running at most `maxRunningLookups` lookups at once (hosts whose DNS hangs
    /// each hold one, until glibc gives up), `maxRunningLookupsPerTenant` for one tenant;
    /// `lookup` is `getaddrinfo` unless a test stands in for it.
    package init(
        maxRunningLookups: Int = 512,
        maxRunningLookupsPerTenant: Int = 128,
        answerKeptMs: Int64 = 5_000,
        failureKeptMs: Int64 = 1_000,
        staleServedMs: Int64 = 5_000,
        lookupGivenUpMs: Int64 = 30_000,
        maxHostCount: Int = 10_000,
        lookup: @escaping @Sendable (String) -> Answer = HostResolver.systemLookup
    ) {
        self.maxRunningLookups = maxRunningLookups
        self.maxRunningLookupsPerTenant = maxRunningLookupsPerTenant
        self.answerKeptMs = answerKeptMs
        self.failureKeptMs = failureKeptMs
        self.staleServedMs = staleServedMs
        self.lookupGivenUpMs = lookupGivenUpMs
        self.maxHostCount = maxHostCount
        self.lookup = lookup
        self.startedAt = self.clock.now
    }

    /// The addresses `host` resolves to; `unresolvable` when it resolves to none, `lookupUnanswered`
    /// when no answer comes within `timeoutMs` (or DNS fails for now), `resolverBusy` when it is
    /// not looked up for want of a free lookup. A lookup it starts counts as `tenantId`'s (`nil`:
    /// no tenant's, counted only among them all).
    func addresses(of host: String, timeoutMs: Int64, for tenantId: TenantID? = nil) async throws(DestinationError) -> [ResolvedAddress] {
        let registeredWaiter = Mutex<UInt64?>(nil)
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    let nowMs = self.elapsedMs()
                    // Decided and registered in one step: an answer cannot slip in between.
                    let plan = self.state.withLock { state in self.plan(for: host, of: tenantId, nowMs: nowMs, continuation, in: &state) }
                    switch plan {
                    case .answer(let answer, let startsLookup):
                        if let generation = startsLookup { self.startLookup(of: host, generation: generation, for: tenantId) }
                        continuation.resume(with: answer.mapError { $0 as any Error })
                    case .wait(let waiterId, let startsLookup):
                        if let generation = startsLookup { self.startLookup(of: host, generation: generation, for: tenantId) }
                        registeredWaiter.withLock { $0 = waiterId }
                        if Task.isCancelled {
                            self.giveUp(waiterId, on: host, because: "the attempt was cut off")
                        } else {
                            self.armDeadline(of: waiterId, on: host, afterMs: timeoutMs)
                        }
                    }
                }
            } onCancel: {
                if let waiterId = registeredWaiter.withLock({ $0 }) {
                    self.giveUp(waiterId, on: host, because: "the attempt was cut off")
                }
            }
        } catch let error as DestinationError {
            throw error
        } catch {
            throw .lookupUnanswered(host: host, reason: "\(error)")
        }
    }

    /// Whether a caller is answered now (a fresh or a stale answer) or waits, and whether it
    /// starts the lookup (none running, or one given up on).
    private func plan(
        for host: String,
        of tenantId: TenantID?,
        nowMs: Int64,
        _ continuation: CheckedContinuation<[ResolvedAddress], any Error>,
        in state: inout State
    ) -> Plan {
        if state.entries[host] == nil && state.entries.count >= self.maxHostCount {
            self.forgetUnused(nowMs: nowMs, in: &state)
        }
        var entry = state.entries[host, default: Entry()]
        entry.lastUsedMs = nowMs
        defer { state.entries[host] = entry }
        let isLookingUp = entry.lookupStartedAtMs.map { nowMs - $0 < self.lookupGivenUpMs } ?? false
        let tenantHasRoom = tenantId.map { state.runningLookupsByTenant[$0, default: 0] < self.maxRunningLookupsPerTenant } ?? true
        let canStartLookup = state.runningLookups < self.maxRunningLookups && tenantHasRoom
        func startsLookup() -> UInt64? {
            guard !isLookingUp, canStartLookup else { return nil }
            return state.beginLookup(of: &entry, for: tenantId, nowMs: nowMs)
        }
        let freshFailure = entry.failure.flatMap { nowMs - $0.atMs < self.failureKeptMs ? $0.error : nil }
        if let addresses = entry.lastAddresses {
            let ageMs = nowMs - entry.lastAddressesAtMs
            if entry.failure == nil && ageMs < self.answerKeptMs {
                return .answer(.success(addresses), startsLookup: nil)
            }
            if ageMs < self.answerKeptMs + self.staleServedMs {
                // A refresh that just failed is not tried again before its failure is old.
                return .answer(.success(addresses), startsLookup: freshFailure == nil ? startsLookup() : nil)
            }
        }
        if let freshFailure {
            return .answer(.failure(freshFailure), startsLookup: nil)
        }
        guard isLookingUp || state.runningLookups < self.maxRunningLookups else {
            return .answer(.failure(.resolverBusy(host: host, reason: "\(self.maxRunningLookups) DNS lookups are running, the most at once")), startsLookup: nil)
        }
        let lookup = startsLookup()
        if lookup == nil && !isLookingUp, let tenantId {
            // The tenant's share is running: this host's lookup starts when one of them ends.
            state.hostsWaitingByTenant[tenantId, default: []].append(host)
        }
        let waiterId = state.nextWaiterId
        state.nextWaiterId += 1
        entry.waiters[waiterId] = Waiter(continuation: continuation)
        return .wait(waiterId: waiterId, startsLookup: lookup)
    }

    /// Forgets the least recently used hosts nobody waits for and none is being looked up for,
    /// down to nine tenths of the limit.
    private func forgetUnused(nowMs: Int64, in state: inout State) {
        let idle = state.entries.filter { _, entry in
            entry.waiters.isEmpty && (entry.lookupStartedAtMs.map { nowMs - $0 >= self.lookupGivenUpMs } ?? true)
        }.sorted { $0.value.lastUsedMs < $1.value.lastUsedMs }
        for (host, _) in idle.prefix(max(0, state.entries.count - self.maxHostCount * 9 / 10)) {
            state.entries.removeValue(forKey: host)
        }
    }

    /// How many hosts it keeps.
    var hostCount: Int { self.state.withLock { $0.entries.count } }

    private func startLookup(of host: String, generation: UInt64, for tenantId: TenantID?) {
        let lookup = self.lookup
        Thread.detachNewThread {
            let answer = lookup(host)
            let nowMs = self.elapsedMs()
            let next = self.state.withLock { state -> (host: String, generation: UInt64)? in
                state.runningLookups -= 1
                guard let tenantId else { return nil }
                let running = state.runningLookupsByTenant[tenantId, default: 1] - 1
                state.runningLookupsByTenant[tenantId] = running > 0 ? running : nil
                return self.startWaitingLookup(of: tenantId, nowMs: nowMs, in: &state)
            }
            if let next { self.startLookup(of: next.host, generation: next.generation, for: tenantId) }
            self.answer(host, with: answer, generation: generation)
        }
    }

    /// Takes the place a lookup of `tenantId` just freed for the first host the tenant waits to
    /// look up that someone still waits for and nobody is looking up; returns it and the
    /// lookup's number, to start once the lock is let go.
    private func startWaitingLookup(of tenantId: TenantID, nowMs: Int64, in state: inout State) -> (host: String, generation: UInt64)? {
        while var hosts = state.hostsWaitingByTenant[tenantId], !hosts.isEmpty {
            let host = hosts.removeFirst()
            state.hostsWaitingByTenant[tenantId] = hosts.isEmpty ? nil : hosts
            guard var entry = state.entries[host], !entry.waiters.isEmpty else { continue }
            if let startedAtMs = entry.lookupStartedAtMs, nowMs - startedAtMs < self.lookupGivenUpMs { continue }
            let generation = state.beginLookup(of: &entry, for: tenantId, nowMs: nowMs)
            state.entries[host] = entry
            return (host, generation)
        }
        return nil
    }

    /// Ends a registered wait after `timeoutMs`, unless the answer comes first.
    private func armDeadline(of waiterId: UInt64, on host: String, afterMs timeoutMs: Int64) {
        let deadline = Task {
            try? await Task.sleep(for: .milliseconds(timeoutMs))
            guard !Task.isCancelled else { return }
            self.giveUp(waiterId, on: host, because: "no answer from DNS within \(timeoutMs) ms")
        }
        let isWaiting = self.state.withLock { state in
            guard state.entries[host]?.waiters[waiterId] != nil else { return false }
            state.entries[host]?.waiters[waiterId]?.deadline = deadline
            return true
        }
        if !isWaiting { deadline.cancel() }
    }

    /// Keeps `answer` for `host` and hands it to everyone waiting for it, unless a newer lookup
    /// has been started since (this one was given up on).
    private func answer(_ host: String, with answer: Answer, generation: UInt64) {
        let nowMs = self.elapsedMs()
        let waiters = self.state.withLock { state -> [Waiter] in
            guard var entry = state.entries[host], entry.lookupGeneration == generation else { return [] }
            let waiters = Array(entry.waiters.values)
            switch answer {
            case .success(let addresses):
                entry.lastAddresses = addresses
                entry.lastAddressesAtMs = nowMs
                entry.failure = nil
            case .failure(let error):
                entry.failure = (error, nowMs)
            }
            entry.lookupStartedAtMs = nil
            entry.waiters = [:]
            state.entries[host] = entry
            return waiters
        }
        for waiter in waiters {
            waiter.deadline?.cancel()
            waiter.continuation.resume(with: answer.mapError { $0 as any Error })
        }
    }

    /// Stops one caller's wait (its deadline, or its task cancelled); the lookup goes on for the
    /// others. A host never looked up (it waited for its tenant's share) is the resolver's doing.
    private func giveUp(_ waiterId: UInt64, on host: String, because reason: String) {
        let nowMs = self.elapsedMs()
        let (waiter, isLookingUp) = self.state.withLock { state in
            let waiter = state.entries[host]?.waiters.removeValue(forKey: waiterId)
            let isLookingUp = state.entries[host]?.lookupStartedAtMs.map { nowMs - $0 < self.lookupGivenUpMs } ?? false
            return (waiter, isLookingUp)
        }
        waiter?.deadline?.cancel()
        waiter?.continuation.resume(
            throwing: isLookingUp
                ? DestinationError.lookupUnanswered(host: host, reason: reason)
                : DestinationError.resolverBusy(host: host, reason: "\(reason), its lookup waiting for one of this tenant's to end")
        )
    }

    private func elapsedMs() -> Int64 {
        self.startedAt.duration(to: self.clock.now).inMilliseconds
    }

    /// getaddrinfo(3), which also reads address literals in every form it accepts (`0x7f.1`, …).
    static func systemLookup(_ host: String) -> Answer {
        Self.getaddrinfo(host, flags: 0)
    }

    /// The address `host` spells when it is an address literal (in any form getaddrinfo reads),
    /// found without DNS; `nil` when it is a name.
    static func literalAddresses(_ host: String) -> [ResolvedAddress]? {
        try? Self.getaddrinfo(host, flags: AI_NUMERICHOST).get()
    }

    private static func getaddrinfo(_ host: String, flags: Int32) -> Answer {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = flags
        var list: UnsafeMutablePointer<addrinfo>?
        let status = Glibc.getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let first = list else {
            let reason = String(cString: gai_strerror(status))
            // A server that failed for now, or a resource of this host's: not an answer about the name.
            let isTemporary = [EAI_AGAIN, EAI_SYSTEM, EAI_MEMORY].contains(status)
            return .failure(isTemporary ? .lookupUnanswered(host: host, reason: reason) : .unresolvable(host: host, reason: reason))
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
