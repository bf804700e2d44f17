#if canImport(Glibc)
import Glibc
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
/// the two never write the same bytes. The file is opened a second time for this: a write error
/// is reported once to each open file, so syncing LMDB's own descriptor here could take an error
/// that belongs to a commit, which would then be acknowledged as synced.
final class DataFileTail: @unchecked Sendable {
    // @unchecked: the mutex is the synchronisation; it lives at a stable heap address.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let path: String
    /// Opened at the first append (guarded by the mutex): tools that never append also work
    /// where the file cannot be opened for writing.
    private var descriptor: Int32 = -1
    private let zeros: UnsafeMutableRawBufferPointer

    /// The most one append writes: small, so that a commit waits little for the lock.
    static let stepBytes = 256 << 10

    /// The tail of `path`, the environment's `data.mdb`.
    init(path: String) {
        self.path = path
        self.mutex = .allocate(capacity: 1)
        let status = pthread_mutex_init(self.mutex, nil)
        precondition(status == 0, "pthread_mutex_init failed: \(status)")
        self.zeros = .allocate(byteCount: Self.stepBytes, alignment: 4096)
        self.zeros.initializeMemory(as: UInt8.self, repeating: 0)
    }

    deinit {
        if self.descriptor >= 0 { close(self.descriptor) }
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
        guard stat(self.path, &status) == 0 else {
            throw LMDBError(code: errno, operation: "stat(\(self.path))")
        }
        return Int(status.st_size)
    }

    /// Appends at most `stepBytes` of zeros toward `targetBytes` and syncs them and the file's
    /// new length; `false` when the file is that long already.
    func appendZeros(towardBytes targetBytes: Int) throws(LMDBError) -> Bool {
        let descriptor = try self.exclusively { () throws(LMDBError) -> Int32? in
            if self.descriptor < 0 {
                self.descriptor = open(self.path, O_WRONLY | O_CLOEXEC)
                guard self.descriptor >= 0 else { throw LMDBError(code: errno, operation: "open(\(self.path))") }
            }
            let length = try self.lengthBytes()
            guard length < targetBytes else { return nil }
            let count = min(Self.stepBytes, targetBytes - length)
            try self.write(UnsafeRawBufferPointer(rebasing: self.zeros[0..<count]), at: length)
            return self.descriptor
        }
        guard let descriptor else { return false }
        // Synced now, outside the lock, so that no commit's sync has to write them or the length.
        guard fdatasync(descriptor) == 0 else {
            throw LMDBError(code: errno, operation: "fdatasync(data.mdb)")
        }
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
