import AsyncHTTPClient
import Synchronization

/// An HTTP client per pinned host and address (`ConnectionPin`): AsyncHTTPClient connects a name
/// to a given address only through a client's `dnsOverride`, so each host and address gets a
/// client of its own, with its own pool of connections. A client unused for `idleMs` is shut down (its
/// connections would have closed by then anyway), so that hosts whose addresses move leave none
/// behind; every client is shut down by `shutdown()`.
final class PinnedClients: Sendable {
    /// One host connected to one of its addresses.
    struct Target: Hashable {
        let host: String
        let address: String
    }

    private struct Entry {
        let client: HTTPClient
        var sendingCount = 0
        var lastUsedAt: ContinuousClock.Instant
    }

    private struct State {
        var entries: [Target: Entry] = [:]
        var lastSweepAt: ContinuousClock.Instant
        var isShutDown = false
    }

    private let state: Mutex<State>
    private let configuration: HTTPClient.Configuration
    private let idle: Duration

    /// Clients made from `configuration`, each with its pin's `dnsOverride`.
    init(configuration: HTTPClient.Configuration, idleMs: Int64) {
        self.configuration = configuration
        self.idle = .milliseconds(idleMs)
        self.state = Mutex(State(lastSweepAt: .now))
    }

    /// How many clients are kept now.
    var clientCount: Int { self.state.withLock { $0.entries.count } }

    /// Runs `body` with the client of `target`, made if there is none. After `shutdown()` there
    /// is none to be had: `body` gets `nil`.
    func withClient<Result>(for target: Target, _ body: (HTTPClient?) async -> Result) async -> Result {
        let now = ContinuousClock.now
        let (client, idleClients) = self.state.withLock { state -> (HTTPClient?, [HTTPClient]) in
            guard !state.isShutDown else { return (nil, []) }
            var entry = state.entries[target] ?? Entry(client: self.makeClient(for: target), lastUsedAt: now)
            entry.sendingCount += 1
            entry.lastUsedAt = now
            state.entries[target] = entry
            return (entry.client, Self.takeIdle(from: &state, now: now, idle: self.idle))
        }
        Self.shutDown(idleClients)
        let result = await body(client)
        if client != nil {
            self.state.withLock { state in
                state.entries[target]?.sendingCount -= 1
                state.entries[target]?.lastUsedAt = .now
            }
        }
        return result
    }

    /// Shuts every client down, once nothing is sent any more (the scheduler has stopped); none
    /// is made afterwards. Throws the first failure, after trying every client.
    func shutdown() async throws {
        let clients = self.state.withLock { state in
            state.isShutDown = true
            defer { state.entries = [:] }
            return state.entries.values.map(\.client)
        }
        var firstFailure: (any Error)?
        for client in clients {
            do { try await client.shutdown() } catch { firstFailure = firstFailure ?? error }
        }
        if let firstFailure { throw firstFailure }
    }

    private func makeClient(for target: Target) -> HTTPClient {
        var configuration = self.configuration
        configuration.dnsOverride = [target.host: target.address]
        // An address that cannot be connected to fails the request at once, for the next of the
        // pin's addresses to be tried: retried here, it would hold the request for the whole
        // connect timeout. (A host that cannot be reached at all is tried again on the retry
        // schedule, as any failed attempt is.)
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Takes out the clients unused for `idle`, at most once per `idle`.
    private static func takeIdle(from state: inout State, now: ContinuousClock.Instant, idle: Duration) -> [HTTPClient] {
        guard state.lastSweepAt + idle <= now else { return [] }
        state.lastSweepAt = now
        let idleTargets = state.entries.filter { $0.value.sendingCount == 0 && $0.value.lastUsedAt + idle <= now }.map(\.key)
        return idleTargets.compactMap { state.entries.removeValue(forKey: $0)?.client }
    }

    private static func shutDown(_ clients: [HTTPClient]) {
        guard !clients.isEmpty else { return }
        Task {
            for client in clients { try? await client.shutdown() }
        }
    }
}
