import Foundation
import HooklogAPI
import HooklogJournal
import Logging
import ServiceLifecycle
import Synchronization
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

    /// A stop asked for as the service starts ends it: before, the API waited for a scheduler
    /// whose run it had missed (it ran for an instant) until the stop's deadline, for ever under
    /// a group without one. (Whether it said it was ready first depends on whether the scheduler
    /// was running before the stop reached it, as it may be.)
    @Test func aStopAsTheServiceStartsEndsIt() async throws {
        let folder = NSTemporaryDirectory() + "hooklog-start-stop-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let configuration = HooklogConfiguration(dataDirectory: folder, port: 0, configDirectory: APIHarness.configFolder, preallocateMib: 0)
        for _ in 0..<3 {
            let application = try buildApplication(configuration: configuration, logger: logger)
            let group = ServiceGroup(configuration: .init(services: [application], logger: logger))
            let ended = Mutex(false)
            let running = Task {
                try await group.run()
                ended.withLock { $0 = true }
            }
            await group.triggerGracefulShutdown()
            let deadline = ContinuousClock.now.advanced(by: .seconds(10))
            while !ended.withLock({ $0 }) && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(ended.withLock { $0 }, "the service did not stop within 10 s")
            running.cancel()
            _ = try? await running.value
        }
    }
}
