import Foundation
import HooklogAPI
import HooklogJournal
import Logging
import Testing

/// The store's service ends the process's services when the journal fails for good, so that
/// `hooklog serve` exits non-zero and a supervisor restarts it.
@Suite("The store's service", .timeLimit(.minutes(1)))
struct StoreServiceTests {
    @Test func aJournalThatFailsForGoodStopsTheServiceWithItsError() async throws {
        let folder = NSTemporaryDirectory() + "hooklog-store-service-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let store = try HooklogStore(path: folder, logger: logger)
        let service = StoreService(store: store, lock: try DataDirectoryLock.acquire(folder), logger: logger)
        let running = Task { try await service.run() }
        // MDB_PANIC, as any LMDB call inside a command would report it once LMDB has panicked.
        let panic = LMDBError(code: -30_795, operation: "mdb_txn_begin")
        _ = try? await store.journal.write { _ in throw panic }
        await #expect(throws: panic) { try await running.value }
        #expect(!service.isOpen)
    }
}
