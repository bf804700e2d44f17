package import HooklogCore
import Synchronization

/// Bounds the replay searches running at once: each reads for up to seconds on a thread of its
/// own, so without a bound one caller repeating a large request would take every core (and
/// LMDB's reader slots) from ingestion and every other tenant.
///
/// Two lines, both first come first served: a tenant's (`nil`: the admin's replays across every
/// tenant), where its requests search one at a time, and the service's, where the head of each
/// tenant's line waits for one of `maxRunningCount` places. So a tenant sending many requests
/// at once holds one place in the service's line, and every other tenant gets its turn between
/// them. A tenant's line holds at most `maxWaitingPerTenant`; one more request is refused
/// (`ReplayError.searchLineFull`).
package final class ReplaySearchGate: Sendable {
    /// Two searches at once leave the writer and the event loops room on a small machine, and
    /// let one tenant's search not hold up every other's.
    package static let defaultMaxRunningCount = 2
    /// Enough for the parts of a window asked for at once; more from one tenant is a flood.
    package static let defaultMaxWaitingPerTenant = 8

    private struct Waiter {
        let id: UInt64
        let tenantId: TenantID?
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var runningCount = 0
        /// Heads of tenants' lines, waiting for a place.
        var serviceLine: [Waiter] = []
        /// The tenants with a search running or waiting in `serviceLine`, and who waits behind it.
        var tenantLines: [TenantID?: [Waiter]] = [:]
        var lastWaiterId: UInt64 = 0

        /// `tenantId`'s next request, if any, becomes its head: it runs if a place is free, else
        /// joins the service's line. Returns the waiter to resume.
        mutating func advanceLine(of tenantId: TenantID?, maxRunningCount: Int) -> Waiter? {
            guard var line = self.tenantLines[tenantId], !line.isEmpty else {
                self.tenantLines[tenantId] = nil
                return nil
            }
            let head = line.removeFirst()
            self.tenantLines[tenantId] = line
            guard self.runningCount < maxRunningCount else {
                self.serviceLine.append(head)
                return nil
            }
            self.runningCount += 1
            return head
        }
    }

    private let maxRunningCount: Int
    private let maxWaitingPerTenant: Int
    private let state = Mutex(State())

    package init(maxRunningCount: Int = ReplaySearchGate.defaultMaxRunningCount, maxWaitingPerTenant: Int = ReplaySearchGate.defaultMaxWaitingPerTenant) {
        precondition(maxRunningCount > 0, "at least one search runs")
        self.maxRunningCount = maxRunningCount
        self.maxWaitingPerTenant = maxWaitingPerTenant
    }

    /// How many requests wait their turn, in every line.
    package var waitingCount: Int {
        self.state.withLock { state in state.serviceLine.count + state.tenantLines.values.reduce(0) { $0 + $1.count } }
    }

    /// Runs `search` for `tenantId` (`nil`: across every tenant) once its turn has come. Throws
    /// `ReplayError.searchLineFull` at once when that tenant's line is full, and
    /// `CancellationError` when the task is cancelled while it waits.
    package func run<Result>(for tenantId: TenantID?, _ search: () async throws -> Result) async throws -> Result {
        try await self.enter(tenantId)
        defer { self.leave(tenantId) }
        return try await search()
    }

    private enum Entry {
        case run
        case wait
        case refused(any Error)
    }

    private func enter(_ tenantId: TenantID?) async throws {
        let waiterId = self.state.withLock { state in
            state.lastWaiterId += 1
            return state.lastWaiterId
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                // Decided under the lock `leave` takes, so that a place it frees is not missed.
                let entry: Entry = self.state.withLock { state in
                    if Task.isCancelled { return .refused(CancellationError()) }
                    let waiter = Waiter(id: waiterId, tenantId: tenantId, continuation: continuation)
                    if let line = state.tenantLines[tenantId] {
                        guard line.count < self.maxWaitingPerTenant else { return .refused(ReplayError.searchLineFull(tenantId)) }
                        state.tenantLines[tenantId] = line + [waiter]
                        return .wait
                    }
                    state.tenantLines[tenantId] = []
                    guard state.runningCount < self.maxRunningCount else {
                        state.serviceLine.append(waiter)
                        return .wait
                    }
                    state.runningCount += 1
                    return .run
                }
                switch entry {
                case .run: continuation.resume()
                case .wait: break  // `leave` or `giveUp` resumes it
                case .refused(let error): continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            self.giveUp(waiterId)
        }
    }

    /// A request cancelled before its turn leaves whichever line it is in (one whose turn came
    /// first runs; one not yet in a line sees the cancellation as it comes).
    private func giveUp(_ waiterId: UInt64) {
        let (cancelled, next): (Waiter?, Waiter?) = self.state.withLock { state in
            if let index = state.serviceLine.firstIndex(where: { $0.id == waiterId }) {
                let head = state.serviceLine.remove(at: index)
                return (head, state.advanceLine(of: head.tenantId, maxRunningCount: self.maxRunningCount))
            }
            for (tenantId, line) in state.tenantLines {
                guard let index = line.firstIndex(where: { $0.id == waiterId }) else { continue }
                var shortened = line
                let waiter = shortened.remove(at: index)
                state.tenantLines[tenantId] = shortened
                return (waiter, nil)
            }
            return (nil, nil)
        }
        cancelled?.continuation.resume(throwing: CancellationError())
        next?.continuation.resume()
    }

    /// Ends `tenantId`'s search: its place goes to the head of the service's line, and the
    /// tenant's next request, if any, becomes its head.
    private func leave(_ tenantId: TenantID?) {
        let resumed: [Waiter] = self.state.withLock { state in
            var resumed: [Waiter] = []
            if state.serviceLine.isEmpty {
                state.runningCount -= 1
            } else {
                resumed.append(state.serviceLine.removeFirst())
            }
            if let next = state.advanceLine(of: tenantId, maxRunningCount: self.maxRunningCount) { resumed.append(next) }
            return resumed
        }
        for waiter in resumed { waiter.continuation.resume() }
    }
}
