#if canImport(Glibc)
import Glibc
internal import CFileRange
#elseif canImport(Darwin)
import Darwin
#endif

/// The end of `data.mdb`, which this process extends with zeros ahead of LMDB's pages.
///
/// Why: a commit that writes past the end of the file changes its length, so the commit's
/// `fdatasync` must write the inode too, one more device round trip on every commit. Blocks that
/// already hold written zeros are overwritten in place, with no metadata to sync. (`ftruncate`
/// and `fallocate` would leave holes or unwritten extents, whose first write is metadata again.)
///
/// LMDB writes data pages only inside write transactions. Every write transaction of this
/// process holds `exclusively`, and zeros are appended under it at the file's current end, so
/// the two never write the same bytes. No other process writes while one holds the data
/// directory (`DataDirectoryLock`).
final class DataFileTail: @unchecked Sendable {
    // @unchecked: the mutex is the synchronisation; it lives at a stable heap address.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let descriptor: Int32
    private let zeros: UnsafeMutableRawBufferPointer

    /// The most one append writes: small, so that a commit waits little for the lock.
    static let stepBytes = 256 << 10

    init(descriptor: Int32) {
        self.descriptor = descriptor
        self.mutex = .allocate(capacity: 1)
        let status = pthread_mutex_init(self.mutex, nil)
        precondition(status == 0, "pthread_mutex_init failed: \(status)")
        self.zeros = .allocate(byteCount: Self.stepBytes, alignment: 4096)
        self.zeros.initializeMemory(as: UInt8.self, repeating: 0)
    }

    deinit {
        pthread_mutex_destroy(self.mutex)
        self.mutex.deallocate()
        self.zeros.deallocate()
    }

    /// Runs `body` while nothing is appended to the file.
    func exclusively<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        pthread_mutex_lock(self.mutex)
        defer { pthread_mutex_unlock(self.mutex) }
        return try body()
    }

    /// The file's length in bytes.
    func lengthBytes() throws(LMDBError) -> Int {
        var status = stat()
        guard fstat(self.descriptor, &status) == 0 else {
            throw LMDBError(code: errno, operation: "fstat(data.mdb)")
        }
        return Int(status.st_size)
    }

    /// Appends at most `stepBytes` of zeros toward `targetBytes` and writes them to the device;
    /// `false` when the file is that long already. The environment's `sync` makes the new
    /// length durable.
    func appendZeros(towardBytes targetBytes: Int) throws(LMDBError) -> Bool {
        let appended = try self.exclusively { () throws(LMDBError) -> (offset: Int, count: Int)? in
            let length = try self.lengthBytes()
            guard length < targetBytes else { return nil }
            let count = min(Self.stepBytes, targetBytes - length)
            try self.write(UnsafeRawBufferPointer(rebasing: self.zeros[0..<count]), at: length)
            return (length, count)
        }
        guard let appended else { return false }
        // Written out now, outside the lock, so that no commit's sync has to write them.
        #if os(Linux)
        let flags = CFileRangeWaitBefore | CFileRangeWrite | CFileRangeWaitAfter
        guard sync_file_range(self.descriptor, off_t(appended.offset), off_t(appended.count), flags) == 0 else {
            throw LMDBError(code: errno, operation: "sync_file_range(data.mdb)")
        }
        #endif
        return true
    }

    private func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(LMDBError) {
        var written = 0
        while written < bytes.count {
            let result = pwrite(self.descriptor, bytes.baseAddress! + written, bytes.count - written, off_t(offset + written))
            if result < 0 {
                if errno == EINTR { continue }
                throw LMDBError(code: errno, operation: "pwrite(data.mdb)")
            }
            written += result
        }
    }
}
