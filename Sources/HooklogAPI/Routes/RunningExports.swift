import HooklogCore
import Synchronization

/// One export at a time per caller (a tenant, or the admin). Each reads and hash-checks the log
/// from its window's start (a tenant's too, to find its own records among everyone's), so a
/// caller repeating exports at once would take the processors from ingestion and delivery; a
/// second is refused at once (429), to be asked again when the first has ended. No bound across
/// callers: an export whose client stops reading holds its place until the connection fails,
/// and must hold up no one but its own caller.
final class RunningExports: Sendable {
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

    /// The callers with an export running (`nil`: the admin).
    private let running = Mutex<Set<TenantID?>>([])

    /// A place for an export by `callerTenantId` (`nil`: the admin); throws 429 when that caller
    /// has an export running.
    func take(for callerTenantId: TenantID?) throws -> Place {
        let isTaken = self.running.withLock { !$0.insert(callerTenantId).inserted }
        if isTaken { throw APIError.tooManyExports("an export by this key is still running; ask again when it has ended") }
        return Place(self, callerTenantId: callerTenantId)
    }

    private func give(back callerTenantId: TenantID?) {
        _ = self.running.withLock { $0.remove(callerTenantId) }
    }
}
