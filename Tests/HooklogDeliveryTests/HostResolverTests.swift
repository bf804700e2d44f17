@testable import HooklogDelivery
import Foundation
import HooklogCore
import Synchronization
import Testing

/// The destination check's DNS: one lookup per host at a time, answers kept a few seconds, and a
/// deadline per caller, so that one customer's broken DNS holds nobody else up.
@Suite("Host resolver")
struct HostResolverTests {
    static let publicAddress = HostResolver.ResolvedAddress(text: "93.184.215.14", addressClass: .publicInternet)

    @Test func callersAskingForTheSameHostShareOneLookupAndItsAnswerIsKept() async throws {
        let lookups = LookupLog(delayMs: ["shared.example": 100])
        let resolver = HostResolver(answerKeptMs: 300, lookup: lookups.lookup)
        try await withThrowingTaskGroup(of: [HostResolver.ResolvedAddress].self) { group in
            for _ in 0..<20 {
                group.addTask { try await resolver.addresses(of: "shared.example", timeoutMs: 5_000) }
            }
            for try await addresses in group { #expect(addresses == [Self.publicAddress]) }
        }
        #expect(lookups.count(of: "shared.example") == 1, "twenty callers, one lookup")
        _ = try await resolver.addresses(of: "shared.example", timeoutMs: 5_000)
        #expect(lookups.count(of: "shared.example") == 1, "kept")
        try await Task.sleep(for: .milliseconds(400))
        _ = try await resolver.addresses(of: "shared.example", timeoutMs: 5_000)
        try await lookups.waitUntil(2, of: "shared.example")
    }

    @Test func anOldAnswerIsServedAtOnceWhileItsRefreshHangsAndALostLookupIsReplaced() async throws {
        let lookups = LookupLog(delayMs: [:])
        let resolver = HostResolver(answerKeptMs: 50, staleServedMs: 10_000, lookupGivenUpMs: 300, lookup: lookups.lookup)
        _ = try await resolver.addresses(of: "flaky.example", timeoutMs: 1_000)
        lookups.setDelay(5_000, for: "flaky.example")
        try await Task.sleep(for: .milliseconds(100))
        let clock = ContinuousClock()
        let startedAt = clock.now
        for _ in 0..<5 {
            #expect(try await resolver.addresses(of: "flaky.example", timeoutMs: 1_000) == [Self.publicAddress])
        }
        #expect(startedAt.duration(to: clock.now) < .milliseconds(200), "the old answer came at once")
        try await lookups.waitUntil(2, of: "flaky.example")
        try await Task.sleep(for: .milliseconds(400))
        _ = try await resolver.addresses(of: "flaky.example", timeoutMs: 1_000)
        try await lookups.waitUntil(3, of: "flaky.example")
    }

    @Test func pastTheLimitTheLeastRecentlyUsedHostsAreForgotten() async throws {
        let lookups = LookupLog(delayMs: [:])
        let resolver = HostResolver(answerKeptMs: 60_000, maxHostCount: 10, lookup: lookups.lookup)
        for index in 0..<10 {
            _ = try await resolver.addresses(of: "host\(index).example", timeoutMs: 1_000)
            try await Task.sleep(for: .milliseconds(2))
        }
        _ = try await resolver.addresses(of: "new.example", timeoutMs: 1_000)
        #expect(resolver.hostCount == 10, "down to nine tenths, then the new one")
        _ = try await resolver.addresses(of: "host9.example", timeoutMs: 1_000)
        #expect(lookups.count(of: "host9.example") == 1, "the most recent hosts are kept")
        _ = try await resolver.addresses(of: "host0.example", timeoutMs: 1_000)
        #expect(lookups.count(of: "host0.example") == 2, "the least recent was forgotten and looked up again")
    }

    @Test func aFailedRefreshKeepsTheLastAddressesForTheShortStaleWindow() async throws {
        let lookups = LookupLog(delayMs: [:])
        let resolver = HostResolver(answerKeptMs: 50, failureKeptMs: 1_000, staleServedMs: 1_500, lookup: lookups.lookup)
        _ = try await resolver.addresses(of: "servfail.example", timeoutMs: 1_000)
        lookups.setFailing("servfail.example")
        try await Task.sleep(for: .milliseconds(80))
        #expect(try await resolver.addresses(of: "servfail.example", timeoutMs: 1_000) == [Self.publicAddress])
        try await lookups.waitUntil(2, of: "servfail.example")
        #expect(try await resolver.addresses(of: "servfail.example", timeoutMs: 1_000) == [Self.publicAddress], "the failure did not replace them")
        try await Task.sleep(for: .milliseconds(1_600))
        await #expect(throws: DestinationError.self, "past the stale window, the failure counts") {
            try await resolver.addresses(of: "servfail.example", timeoutMs: 1_000)
        }
    }

    @Test func aCallerWhoseTaskIsCancelledStopsWaitingAtOnce() async throws {
        let lookups = LookupLog(delayMs: ["hangs.example": 2_000])
        let resolver = HostResolver(lookup: lookups.lookup)
        let waiting = Task { try await resolver.addresses(of: "hangs.example", timeoutMs: 10_000) }
        try await Task.sleep(for: .milliseconds(50))
        let clock = ContinuousClock()
        let cancelledAt = clock.now
        waiting.cancel()
        await #expect(throws: DestinationError.self) { try await waiting.value }
        #expect(cancelledAt.duration(to: clock.now) < .milliseconds(500))
    }

    @Test func aHostWhoseDNSHangsTimesOutAndHoldsNoOtherHostUp() async throws {
        let lookups = LookupLog(delayMs: ["hangs.example": 3_000])
        let resolver = HostResolver(lookup: lookups.lookup)
        let clock = ContinuousClock()
        let startedAt = clock.now
        let hanging = (0..<8).map { _ in
            Task { try await resolver.addresses(of: "hangs.example", timeoutMs: 200) }
        }
        try await Task.sleep(for: .milliseconds(20))
        let answer = try await resolver.addresses(of: "answers.example", timeoutMs: 1_000)
        #expect(answer == [Self.publicAddress])
        #expect(startedAt.duration(to: clock.now) < .milliseconds(500), "the other host's lookup did not wait")
        for task in hanging {
            let error = await #expect(throws: DestinationError.self) { try await task.value }
            #expect(error?.isUnresolvable == true)
            #expect(error?.description.contains("no answer from DNS within 200 ms") == true, "\(String(describing: error))")
            #expect(error?.isTemporary == true && error?.isResolverBusy == false, "its own lookup ran: DNS did not answer")
        }
        #expect(startedAt.duration(to: clock.now) < .milliseconds(1_500), "each caller waited its own deadline, not the lookup")
        #expect(lookups.count(of: "hangs.example") == 1)
    }

    /// Many hosts whose DNS hangs (one customer's broken delegation, or per-call URLs) hold no
    /// other host's lookup up: none waits in a queue behind them. Past the most lookups at once,
    /// a new host is refused at once.
    @Test func manyHostsWhoseDNSHangsHoldNoOtherHostUpAndPastTheLimitANewHostIsRefusedAtOnce() async throws {
        let hanging = (0..<20).map { "hangs\($0).example" }
        let lookups = LookupLog(delayMs: Dictionary(uniqueKeysWithValues: hanging.map { ($0, 5_000) }))
        let resolver = HostResolver(maxRunningLookups: 21, lookup: lookups.lookup)
        let waits = hanging.map { host in Task { try? await resolver.addresses(of: host, timeoutMs: 100) } }
        for host in hanging { try await lookups.waitUntil(1, of: host) }
        let clock = ContinuousClock()
        let startedAt = clock.now
        #expect(try await resolver.addresses(of: "answers.example", timeoutMs: 1_000) == [Self.publicAddress])
        #expect(startedAt.duration(to: clock.now) < .milliseconds(500), "its lookup waited behind the hanging ones")
        for wait in waits { _ = await wait.value }

        lookups.setDelay(5_000, for: "another.example")
        _ = Task { try? await resolver.addresses(of: "another.example", timeoutMs: 100) }
        try await lookups.waitUntil(1, of: "another.example")
        let askedAt = clock.now
        let refused = await #expect(throws: DestinationError.self) { try await resolver.addresses(of: "more.example", timeoutMs: 3_000) }
        #expect(refused?.description.contains("21 DNS lookups are running") == true, "\(String(describing: refused))")
        #expect(refused?.isResolverBusy == true, "not looked up: not the name's fault")
        #expect(askedAt.duration(to: clock.now) < .milliseconds(2_000), "refused at once, not after its 3 s deadline")
    }

    /// One tenant's hanging names take at most its share of the lookups: past it that tenant's
    /// new names wait (within their deadlines) for one of its lookups to end, and another
    /// tenant's name is looked up at once; a lookup already running for a name is shared.
    @Test func oneTenantsHangingNamesLeaveLookupsForTheOthers() async throws {
        let (tenantA, tenantB) = (TenantID(rawValue: 1), TenantID(rawValue: 2))
        let hanging = ["hangs0.attacker.example", "hangs1.attacker.example"]
        let lookups = LookupLog(delayMs: [hanging[0]: 1_500, hanging[1]: 1_500, "shared.example": 400])
        let resolver = HostResolver(maxRunningLookups: 8, maxRunningLookupsPerTenant: 2, lookup: lookups.lookup)
        let waits = hanging.map { host in Task { try? await resolver.addresses(of: host, timeoutMs: 100, for: tenantA) } }
        for host in hanging { try await lookups.waitUntil(1, of: host) }
        for wait in waits { _ = await wait.value }  // given up on; the lookups still run

        let late = await #expect(throws: DestinationError.self) { try await resolver.addresses(of: "late.attacker.example", timeoutMs: 200, for: tenantA) }
        #expect(late?.description.contains("no answer from DNS within 200 ms") == true, "\(String(describing: late))")
        #expect(late?.isResolverBusy == true, "never looked up: the resolver's doing, not the name's")
        #expect(lookups.count(of: "late.attacker.example") == 0, "not looked up past the tenant's share")
        let queued = Task { try await resolver.addresses(of: "queued.attacker.example", timeoutMs: 10_000, for: tenantA) }
        #expect(try await resolver.addresses(of: "answers.example", timeoutMs: 1_000, for: tenantB) == [Self.publicAddress])
        // Another tenant's lookup under way is shared, and counts for nobody else.
        let shared = Task { try await resolver.addresses(of: "shared.example", timeoutMs: 2_000, for: tenantB) }
        try await lookups.waitUntil(1, of: "shared.example")
        #expect(try await resolver.addresses(of: "shared.example", timeoutMs: 2_000, for: tenantA) == [Self.publicAddress])
        #expect(try await shared.value == [Self.publicAddress] && lookups.count(of: "shared.example") == 1)
        // Once one of its hanging lookups ends, the tenant's waiting name is looked up.
        #expect(try await queued.value == [Self.publicAddress])
        #expect(lookups.count(of: "queued.attacker.example") == 1)
    }

    /// A tenant's share is for names that hang, not a limit on a burst: many names that answer
    /// all resolve, the ones past the share as soon as others end.
    @Test func aBurstOfOneTenantsNamesAllResolve() async throws {
        let names = (0..<200).map { "h\($0).example" }
        let lookups = LookupLog(delayMs: Dictionary(uniqueKeysWithValues: names.map { ($0, 50) }))
        let resolver = HostResolver(lookup: lookups.lookup)
        let tenant = TenantID(rawValue: 1)
        let answers = await withTaskGroup(of: Bool.self) { group in
            for name in names { group.addTask { (try? await resolver.addresses(of: name, timeoutMs: 5_000, for: tenant)) != nil } }
            return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(answers == names.count)
    }

    @Test func aFailedLookupIsKeptBrieflyAndNamesWhy() async throws {
        let lookups = LookupLog(delayMs: [:], failing: ["nxdomain.example"])
        let resolver = HostResolver(failureKeptMs: 200, lookup: lookups.lookup)
        for _ in 0..<3 {
            let error = await #expect(throws: DestinationError.self) { try await resolver.addresses(of: "nxdomain.example", timeoutMs: 1_000) }
            #expect(error?.description.contains("Name or service not known") == true)
            #expect(error?.isTemporary == false, "DNS answered: the name has no address")
        }
        #expect(lookups.count(of: "nxdomain.example") == 1)
        try await Task.sleep(for: .milliseconds(300))
        _ = try? await resolver.addresses(of: "nxdomain.example", timeoutMs: 1_000)
        #expect(lookups.count(of: "nxdomain.example") == 2)
    }
}

/// A stand-in for DNS: every host answers one public address after its delay, or fails.
private final class LookupLog: Sendable {
    private let delayMs: Mutex<[String: Int]>
    private let failing: Mutex<Set<String>>
    private let counts = Mutex<[String: Int]>([:])

    init(delayMs: [String: Int], failing: Set<String> = []) {
        self.delayMs = Mutex(delayMs)
        self.failing = Mutex(failing)
    }

    func count(of host: String) -> Int {
        self.counts.withLock { $0[host, default: 0] }
    }

    func setFailing(_ host: String) {
        self.failing.withLock { _ = $0.insert(host) }
    }

    func setDelay(_ delayMs: Int, for host: String) {
        self.delayMs.withLock { $0[host] = delayMs }
    }

    /// Waits (up to 2 s) until `host` was looked up `count` times; fails if it never was.
    func waitUntil(_ count: Int, of host: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        for _ in 0..<200 where self.count(of: host) < count {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(self.count(of: host) == count, sourceLocation: sourceLocation)
    }

    func lookup(_ host: String) -> HostResolver.Answer {
        self.counts.withLock { $0[host, default: 0] += 1 }
        if let delayMs = self.delayMs.withLock({ $0[host] }) { usleep(useconds_t(delayMs * 1_000)) }
        if self.failing.withLock({ $0.contains(host) }) { return .failure(.unresolvable(host: host, reason: "Name or service not known")) }
        return .success([HostResolverTests.publicAddress])
    }
}
