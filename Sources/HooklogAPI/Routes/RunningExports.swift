import HooklogCore
import Synchronization

/// Bounds the exports streaming at once. Each reads and hash-checks the log from its window's
/// start (a tenant's too, to find its own records among everyone's), so without a bound a few
/// callers exporting at once would take the processors from ingestion and delivery. One export
/// at a time per caller (a tenant, or the admin), `maxRunningCount` in all; past either the
/// request is refused at once, to be asked again when one ends, rather than held for as long as
/// an export may last.
final class RunningExports: Sendable {
    /// Two at once leave the writer and the event loops room on a small machine.
    static let defaultMaxRunningCount = 2

    private struct State {
        var running: [TenantID?: Int] = [:]
        var runningCount: Int { self.running.values.reduce(0, +) }
    }

    /// A place taken by one export, given back when the export's answer lets go of it (streamed
    /// to its end, cut off, or never started).
    final class Place: Sendable {
        private let exports: RunningExports
        private let callerTenantId: TenantID?

        fileprivate init(_ exports: RunningExports, callerTenantId: TenantID?) {
            self.exports = exports
            self.callerTenantId = callerTenantId
        }

        deinit {
            self.exports.give(back: self.callerTenantId)
        }
    }

    private let maxRunningCount: Int
    private let state = Mutex(State())

    init(maxRunningCount: Int = RunningExports.defaultMaxRunningCount) {
        precondition(maxRunningCount > 0, "at least one export runs")
        self.maxRunningCount = maxRunningCount
    }

    /// A place for an export by `callerTenantId` (`nil`: the admin); throws 429 when that caller
    /// has an export running, 503 when `maxRunningCount` run.
    func take(for callerTenantId: TenantID?) throws -> Place {
        try self.state.withLock { state in
            guard state.running[callerTenantId] == nil else {
                throw APIError.tooManyExports("an export by this key is still running; ask again when it has ended")
            }
            guard state.runningCount < self.maxRunningCount else {
                throw APIError.busy("\(self.maxRunningCount) exports are running, Hooklog's most at once; ask again shortly")
            }
            state.running[callerTenantId] = 1
        }
        return Place(self, callerTenantId: callerTenantId)
    }

    private func give(back callerTenantId: TenantID?) {
        self.state.withLock { $0.running[callerTenantId] = nil }
    }
}
