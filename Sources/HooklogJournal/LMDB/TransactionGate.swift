#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Keeps map resizes apart from live transactions in this process.
///
/// LMDB requires that `mdb_env_set_mapsize` runs while no transaction of this process is active,
/// and does not check it. Every transaction holds the gate shared; a resize holds it exclusively.
/// Writers are preferred so that a steady stream of readers cannot starve a resize.
final class TransactionGate: @unchecked Sendable {
    // @unchecked: the rwlock is the synchronisation; it lives at a stable heap address.
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>

    init() {
        self.lock = .allocate(capacity: 1)
        var attributes = pthread_rwlockattr_t()
        pthread_rwlockattr_init(&attributes)
        #if os(Linux)
        pthread_rwlockattr_setkind_np(&attributes, Int32(PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP))
        #endif
        let status = pthread_rwlock_init(self.lock, &attributes)
        pthread_rwlockattr_destroy(&attributes)
        precondition(status == 0, "pthread_rwlock_init failed: \(status)")
    }

    deinit {
        pthread_rwlock_destroy(self.lock)
        self.lock.deallocate()
    }

    /// Runs `body` while no resize can happen.
    func shared<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        pthread_rwlock_rdlock(self.lock)
        defer { pthread_rwlock_unlock(self.lock) }
        return try body()
    }

    /// Runs `body` while no transaction of this process is open.
    func exclusive<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        pthread_rwlock_wrlock(self.lock)
        defer { pthread_rwlock_unlock(self.lock) }
        return try body()
    }
}
