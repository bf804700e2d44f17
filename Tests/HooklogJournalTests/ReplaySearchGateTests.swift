import HooklogCore
@testable import HooklogJournal
import Synchronization
import Testing

/// Replay searches wait their turn: a few at once, one at a time per tenant, and a tenant's
/// many requests do not keep another tenant's out.
@Suite("Replay search gate")
struct ReplaySearchGateTests {
    static let tenantA = TenantID(rawValue: 1)
    static let tenantB = TenantID(rawValue: 2)

    @Test(.timeLimit(.minutes(1)))
    func aTenantSearchesOneAtATimeBesideOthersAndAFullLineIsRefused() async throws {
        let gate = ReplaySearchGate(maxRunningCount: 2, maxWaitingPerTenant: 1)
        let searches = Searches(gate)
        let a1 = searches.start("a1", for: Self.tenantA)
        try await searches.waitUntilRunning(["a1"])
        let a2 = searches.start("a2", for: Self.tenantA)
        try await searches.waitUntilWaiting(1, in: gate)
        let refused = await #expect(throws: ReplayError.self) { try await searches.start("a3", for: Self.tenantA).value }
        #expect(refused?.isSearchLineFull == true, "\(String(describing: refused))")
        let b1 = searches.start("b1", for: Self.tenantB)
        try await searches.waitUntilRunning(["a1", "b1"])
        #expect(searches.started == ["a1", "b1"], "a2 waits for a1, b1 does not")
        searches.finish("a1")
        try await searches.waitUntilRunning(["a1", "b1", "a2"])
        searches.finish("a2")
        searches.finish("b1")
        _ = try await (a1.value, a2.value, b1.value)
        #expect(gate.waitingCount == 0)
    }

    /// The admin's searches across every tenant (`nil`) have a line of their own too.
    @Test(.timeLimit(.minutes(1)))
    func eachTenantsRequestsTakeTurnsWithTheOthers() async throws {
        let gate = ReplaySearchGate(maxRunningCount: 1)
        let searches = Searches(gate)
        let first = searches.start("a1", for: Self.tenantA)
        try await searches.waitUntilRunning(["a1"])
        // One at a time: started together, a3 could join the line before a2.
        let a2 = searches.start("a2", for: Self.tenantA)
        try await searches.waitUntilWaiting(1, in: gate)
        let a3 = searches.start("a3", for: Self.tenantA)
        try await searches.waitUntilWaiting(2, in: gate)
        let queued = [a2, a3]
        let others = [searches.start("b1", for: Self.tenantB)]
        try await searches.waitUntilWaiting(3, in: gate)
        let admin = searches.start("all", for: nil)
        try await searches.waitUntilWaiting(4, in: gate)
        let turns = ["a1", "b1", "all", "a2", "a3"]
        for (index, name) in turns.enumerated() {
            try await searches.waitUntilRunning(Array(turns.prefix(index + 1)))
            searches.finish(name)
            try await searches.waitUntilFinished(name)
        }
        for task in [first, admin] + queued + others { try await task.value }
        #expect(searches.started == ["a1", "b1", "all", "a2", "a3"])
    }

    @Test(.timeLimit(.minutes(1)))
    func aRequestCancelledWhileItWaitsLeavesItsLine() async throws {
        let gate = ReplaySearchGate(maxRunningCount: 1, maxWaitingPerTenant: 1)
        let searches = Searches(gate)
        let a1 = searches.start("a1", for: Self.tenantA)
        try await searches.waitUntilRunning(["a1"])
        let b1 = searches.start("b1", for: Self.tenantB)  // heads the service's line
        let a2 = searches.start("a2", for: Self.tenantA)  // waits in A's line
        try await searches.waitUntilWaiting(2, in: gate)
        b1.cancel()
        a2.cancel()
        await #expect(throws: CancellationError.self) { try await b1.value }
        await #expect(throws: CancellationError.self) { try await a2.value }
        #expect(gate.waitingCount == 0)
        // Both lines take requests again; B's goes next, as its first did not run.
        let b2 = searches.start("b2", for: Self.tenantB)
        let a3 = searches.start("a3", for: Self.tenantA)
        try await searches.waitUntilWaiting(2, in: gate)
        searches.finish("a1")
        try await searches.waitUntilRunning(["a1", "b2"])
        searches.finish("b2")
        try await searches.waitUntilRunning(["a1", "b2", "a3"])
        searches.finish("a3")
        _ = try await (a1.value, b2.value, a3.value)
        #expect(searches.started == ["a1", "b2", "a3"], "the cancelled ones never ran")
    }
}

/// Searches started through a gate, each running until the test finishes it.
private final class Searches: Sendable {
    private struct State {
        var started: [String] = []
        var ended: Set<String> = []
        var finishers: [String: AsyncStream<Void>.Continuation] = [:]
    }

    private let gate: ReplaySearchGate
    private let state = Mutex(State())

    init(_ gate: ReplaySearchGate) {
        self.gate = gate
    }

    var started: [String] { self.state.withLock { $0.started } }

    /// Starts a search named `name`; it runs until `finish(name)`.
    func start(_ name: String, for tenantId: TenantID?) -> Task<Void, any Error> {
        let (finished, finisher) = AsyncStream<Void>.makeStream()
        self.state.withLock { $0.finishers[name] = finisher }
        return Task {
            try await self.gate.run(for: tenantId) {
                self.state.withLock { $0.started.append(name) }
                for await _ in finished {}
            }
            self.state.withLock { _ = $0.ended.insert(name) }
        }
    }

    func finish(_ name: String) {
        self.state.withLock { $0.finishers[name] }?.finish()
    }

    func waitUntilRunning(_ names: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await self.waitUntil("\(names) started", sourceLocation: sourceLocation) { self.started == names }
    }

    func waitUntilFinished(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await self.waitUntil("\(name) ended", sourceLocation: sourceLocation) { self.state.withLock { $0.ended.contains(name) } }
    }

    func waitUntilWaiting(_ count: Int, in gate: ReplaySearchGate, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await self.waitUntil("\(count) waiting", sourceLocation: sourceLocation) { gate.waitingCount == count }
    }

    private func waitUntil(_ what: String, sourceLocation: SourceLocation, _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now.advanced(by: .seconds(10))
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("not reached within 10 s: \(what) (started: \(self.started))", sourceLocation: sourceLocation)
                return
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
