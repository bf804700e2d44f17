import AsyncHTTPClient
import NIOCore
import Synchronization

/// The HTTP clients of pinned requests (`ConnectionPin`): AsyncHTTPClient connects a name to a
/// given address only through a client's `dnsOverride`, so each host and address gets a client of
/// its own, with its own pool of connections.
///
/// A pin's last address is sent to as any request is, within the connect timeout. Its other
/// addresses are only tried first: their clients give up on a connection after
/// `fallThroughConnectTimeoutMs` (no answer, or none free in the pool), so that the next address
/// still has time. No client retries a failed connection: a refusal ends it at once. (A host
/// whose DNS answers in a changing order may so have two clients for an address, one of each
/// kind.) A client unused for `idleMs` is shut down (its connections would have closed by then),
/// and past `maxClientCount` the least recently used idle ones are, so that hosts whose addresses
/// move leave none behind. `shutdown()` shuts every one.
final class PinnedClients: Sendable {
    /// One host connected to one of its addresses, as the last to try or not.
    struct Target: Hashable {
        let host: String
        let address: String
        let isLastAddress: Bool
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

    /// How long a connection to an address that is not a pin's last may take.
    static let fallThroughConnectTimeoutMs: Int64 = 1_000

    private let state: Mutex<State>
    private let configuration: HTTPClient.Configuration
    private let idle: Duration
    private let maxClientCount: Int

    /// Clients made from `configuration`, each with its target's `dnsOverride`.
    init(configuration: HTTPClient.Configuration, idleMs: Int64, maxClientCount: Int = 1_024) {
        self.configuration = configuration
        self.idle = .milliseconds(idleMs)
        self.maxClientCount = maxClientCount
        self.state = Mutex(State(lastSweepAt: .now))
    }

    /// How many clients are kept now.
    var clientCount: Int { self.state.withLock { $0.entries.count } }

    /// Runs `body` with the client of `target`, made if there is none. After `shutdown()` there
    /// is none to be had: `body` gets `nil`.
    func withClient<Result>(for target: Target, _ body: (HTTPClient?) async -> Result) async -> Result {
        let now = ContinuousClock.now
        let (client, unused) = self.state.withLock { state -> (HTTPClient?, [HTTPClient]) in
            guard !state.isShutDown else { return (nil, []) }
            var entry = state.entries[target] ?? Entry(client: self.makeClient(for: target), lastUsedAt: now)
            entry.sendingCount += 1
            entry.lastUsedAt = now
            state.entries[target] = entry
            return (entry.client, self.takeUnused(from: &state, now: now))
        }
        Self.shutDown(unused)
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
        if !target.isLastAddress {
            let connectMs = configuration.timeout.connect.map { $0.nanoseconds / 1_000_000 } ?? Self.fallThroughConnectTimeoutMs
            configuration.timeout.connect = .milliseconds(min(connectMs, Self.fallThroughConnectTimeoutMs))
        }
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Takes out the clients unused for `idle` (looked for at most once per `idle`), and past
    /// `maxClientCount` the least recently used of those not sending.
    private func takeUnused(from state: inout State, now: ContinuousClock.Instant) -> [HTTPClient] {
        var unused: [Target] = []
        if state.lastSweepAt + self.idle <= now {
            state.lastSweepAt = now
            unused = state.entries.filter { $0.value.sendingCount == 0 && $0.value.lastUsedAt + self.idle <= now }.map(\.key)
        }
        let excess = state.entries.count - unused.count - self.maxClientCount
        if excess > 0 {
            let leastRecentlyUsed = state.entries
                .filter { $0.value.sendingCount == 0 && !unused.contains($0.key) }
                .sorted { $0.value.lastUsedAt < $1.value.lastUsedAt }
                .prefix(excess)
                .map(\.key)
            unused += leastRecentlyUsed
        }
        return unused.compactMap { state.entries.removeValue(forKey: $0)?.client }
    }

    private static func shutDown(_ clients: [HTTPClient]) {
        guard !clients.isEmpty else { return }
        Task {
            for client in clients { try? await client.shutdown() }
        }
    }
}
