internal import CLMDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether `data.mdb` reaches the pages a first read of it touches: its meta pages, and the
/// root pages of its free, main and named databases (`DataFileCutShort` when not).
///
/// Why roots, not the whole extent the meta page names: LMDB may count pages past the file's
/// end that no tree refers to (pages freed in the transaction that took them, never written),
/// so a file shorter than that extent can be whole. A copy cut short, on the other hand, loses
/// the newest pages first, and a copy-on-write tree rewrites its root at every commit: its roots
/// are most often among them. Not always: roots rewritten onto freed pages low in the file, while
/// large entries ran on to its end, pass. Reading a page past the end then kills the process
/// (SIGBUS), which the command line says in words.
enum DataFileExtent {
    private static let metaMagic: UInt32 = 0xBEEF_C0DE
    /// In an LMDB 0.9 meta page (`MDB_meta`, 64-bit pages) after the page header.
    private static let magicOffset = 16
    private static let freeRootOffset = 80
    private static let mainRootOffset = 128
    private static let lastPageOffset = 136
    private static let transactionIdOffset = 144
    private static let metaBytes = 152
    /// Where a database's root page number sits in its `MDB_db` record.
    private static let recordRootOffset = 40
    /// The page number of no page: an empty tree's root.
    private static let noPage = UInt64.max

    /// Before `mdb_env_open`: a `data.mdb` too short to hold LMDB's two meta pages is refused.
    /// LMDB would fail on it with a bare errno when reading, and when writing take it for a new
    /// environment: a restore that failed before writing anything would start an empty journal.
    static func requireMetaPages(folder: String) throws {
        let path = folder + "/data.mdb"
        var status = stat()
        let metaPagesBytes = 2 * Int(sysconf(Int32(_SC_PAGESIZE)))
        guard stat(path, &status) == 0, Int(status.st_size) < metaPagesBytes else { return }
        throw DataFileCutShort(path: path, sizeBytes: Int(status.st_size), neededBytes: metaPagesBytes)
    }

    /// The newest meta page's free and main database roots lie inside the file.
    static func requireRoots(of environment: OpaquePointer, folder: String) throws {
        guard let file = try DataFile(environment, folder: folder), let meta = file.newestMeta() else { return }
        try file.require(page: meta.freeRoot)
        try file.require(page: meta.mainRoot)
    }

    /// Each of `names`' roots lies inside the file: read from the main database, whose root
    /// `requireRoots` has checked.
    static func requireDatabaseRoots(_ names: [String], of environment: OpaquePointer, folder: String) throws {
        guard let file = try DataFile(environment, folder: folder) else { return }
        var transaction: OpaquePointer?
        try checkLMDB(mdb_txn_begin(environment, nil, UInt32(MDB_RDONLY), &transaction), "mdb_txn_begin")
        defer { mdb_txn_abort(transaction) }
        var main: MDB_dbi = 0
        try checkLMDB(mdb_dbi_open(transaction, nil, 0, &main), "mdb_dbi_open(main)")
        for name in names {
            var root: UInt64?
            try name.utf8CString.withUnsafeBufferPointer { characters in
                var key = MDB_val(mv_size: characters.count - 1, mv_data: UnsafeMutableRawPointer(mutating: characters.baseAddress))
                var record = MDB_val()
                let status = mdb_get(transaction, main, &key, &record)
                guard status != MDB_NOTFOUND else { return }
                try checkLMDB(status, "mdb_get(main, \(name))")
                guard record.mv_size >= Self.recordRootOffset + 8, let bytes = record.mv_data else { return }
                root = bytes.loadUnaligned(fromByteOffset: Self.recordRootOffset, as: UInt64.self)
            }
            if let root { try file.require(page: root) }
        }
    }

    /// `data.mdb` as LMDB has it open: its length and page size.
    private struct DataFile {
        let path: String
        let descriptor: Int32
        let sizeBytes: Int
        let pageSizeBytes: Int
        let lastPage: UInt64

        /// `nil` where the file cannot be looked at (then nothing is refused).
        init?(_ environment: OpaquePointer, folder: String) throws {
            var descriptor: Int32 = -1
            var statistics = MDB_stat()
            var info = MDB_envinfo()
            guard mdb_env_get_fd(environment, &descriptor) == 0, mdb_env_stat(environment, &statistics) == 0,
                mdb_env_info(environment, &info) == 0
            else { return nil }
            var status = stat()
            guard fstat(descriptor, &status) == 0 else { return nil }
            self.path = folder + "/data.mdb"
            self.descriptor = descriptor
            self.sizeBytes = Int(status.st_size)
            self.pageSizeBytes = Int(statistics.ms_psize)
            self.lastPage = UInt64(info.me_last_pgno)
        }

        /// The roots of the meta page with the newer transaction; `nil` when it does not read as
        /// an LMDB 0.9 meta page naming the last page LMDB reports (another format: nothing is
        /// assumed of it).
        func newestMeta() -> (freeRoot: UInt64, mainRoot: UInt64)? {
            let metas = (0..<2).compactMap { self.meta(at: $0) }
            guard let newest = metas.max(by: { $0.transactionId < $1.transactionId }), newest.lastPage == self.lastPage else { return nil }
            return (newest.freeRoot, newest.mainRoot)
        }

        private func meta(at index: Int) -> (transactionId: UInt64, lastPage: UInt64, freeRoot: UInt64, mainRoot: UInt64)? {
            var bytes = [UInt8](repeating: 0, count: DataFileExtent.metaBytes)
            let read = bytes.withUnsafeMutableBytes { pread(self.descriptor, $0.baseAddress, $0.count, off_t(index * self.pageSizeBytes)) }
            return bytes.withUnsafeBytes { raw in
                guard read == raw.count, raw.loadUnaligned(fromByteOffset: DataFileExtent.magicOffset, as: UInt32.self) == DataFileExtent.metaMagic else { return nil }
                let field = { (offset: Int) in raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self) }
                return (field(DataFileExtent.transactionIdOffset), field(DataFileExtent.lastPageOffset), field(DataFileExtent.freeRootOffset), field(DataFileExtent.mainRootOffset))
            }
        }

        /// Refuses a file that ends before page `page` does.
        func require(page: UInt64) throws {
            guard page != DataFileExtent.noPage else { return }
            let (endBytes, overflow) = (page + 1).multipliedReportingOverflow(by: UInt64(self.pageSizeBytes))
            guard overflow || endBytes > UInt64(self.sizeBytes) else { return }
            throw DataFileCutShort(path: self.path, sizeBytes: self.sizeBytes, neededBytes: overflow ? Int.max : Int(endBytes))
        }
    }
}
