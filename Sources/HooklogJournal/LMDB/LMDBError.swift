internal import CLMDB
import Glibc

/// An error that LMDB returned, with LMDB's own message.
public struct LMDBError: Error, Sendable, Equatable, CustomStringConvertible {
    /// LMDB's return code (an `MDB_*` code or an `errno` value).
    public let code: Int32
    /// The LMDB call that failed, e.g. `mdb_txn_commit`.
    public let operation: String

    package init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
    }

    /// LMDB's text for `code` (`mdb_strerror`).
    public var message: String {
        String(cString: mdb_strerror(self.code))
    }

    /// The map is full: the caller grows it and tries again.
    public var isMapFull: Bool { self.code == MDB_MAP_FULL }

    /// Another process grew the map: adopt its size and try again.
    public var isMapResized: Bool { self.code == MDB_MAP_RESIZED }

    /// LMDB hit a fatal error (e.g. a meta page it could not write) and refuses every
    /// transaction until the environment is opened again.
    public var isPanic: Bool { self.code == MDB_PANIC }

    /// The storage refused a read or a write: no space left (or no quota, or past the file size
    /// limit), an I/O error, a read-only file system. It passes when the disk is freed or mended;
    /// other codes (LMDB's own, an invalid argument, no memory) are no such thing.
    public var isStorageFailure: Bool { Self.storageFailureCodes.contains(self.code) }

    private static let storageFailureCodes: Set<Int32> = [ENOSPC, EDQUOT, EFBIG, EIO, EROFS]

    public var description: String {
        "\(self.operation): \(self.message) (\(self.code))"
    }
}

/// Throws an `LMDBError` unless `code` is `MDB_SUCCESS`.
@inline(__always)
func checkLMDB(_ code: Int32, _ operation: @autoclosure () -> String) throws(LMDBError) {
    if code != MDB_SUCCESS {
        throw LMDBError(code: code, operation: operation())
    }
}
