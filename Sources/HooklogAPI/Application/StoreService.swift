public import HooklogDelivery
public import HooklogJournal
public import Logging
public import ServiceLifecycle
import Synchronization

/// Keeps the store open (and the data directory locked) until graceful shutdown, then closes
/// it: it runs first and stops last, after the server and the scheduler have finished.
///
/// If the journal fails for good (LMDB panicked), it closes the store and throws, which stops
/// every service and makes `hooklog serve` exit non-zero, for a supervisor to restart it.
public final class StoreService: Service, Sendable {
    private let store: HooklogStore
    private let lock: DataDirectoryLock
    private let logger: Logger
    private let openFlag = Atomic(true)

    /// A service owning `store` and the `lock` of its folder.
    public init(store: HooklogStore, lock: DataDirectoryLock, logger: Logger) {
        self.store = store
        self.lock = lock
        self.logger = logger
    }

    /// Whether the store takes commands.
    public var isOpen: Bool { self.openFlag.load(ordering: .acquiring) }

    public func run() async throws {
        let failure = await withTaskGroup(of: (any Error)?.self) { group in
            group.addTask { try? await gracefulShutdown(); return nil }
            group.addTask { await self.store.journal.failedForGood() }
            defer { group.cancelAll() }
            return await group.next() ?? nil
        }
        self.openFlag.store(false, ordering: .releasing)
        await self.store.close()
        self.logger.info("journal closed")
        withExtendedLifetime(self.lock) {}
        if let failure { throw failure }
    }
}

/// Shuts the process's webhook HTTP client down at graceful shutdown, after the scheduler's
/// in-flight attempts have finished.
public struct HTTPClientService: Service {
    let client: WebhookHTTPClient

    /// A service owning `client`.
    public init(client: WebhookHTTPClient) {
        self.client = client
    }

    public func run() async throws {
        try? await gracefulShutdown()
        try await self.client.shutdown()
    }
}
