internal import CLMDB
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An LMDB environment: one folder holding `data.mdb` and `lock.mdb`, with named databases.
///
/// Opened with `MDB_NOTLS`, so read transactions are not tied to threads. The map grows on
/// demand (`growMap`); every transaction of this process holds a `TransactionGate` so that a
/// resize never overlaps one. Stale reader slots left by dead processes are cleared at open (and
/// by the journal's writer as it goes). A resize that fails leaves LMDB without its map: from
/// then on every call throws `isPanic` rather than touch it.
/// `appendZeros` keeps the data file zero-filled ahead of the pages in use.
public final class LMDBEnvironment: @unchecked Sendable {
    // @unchecked: an MDB_env is safe to share between threads; transactions, which are not,
    // never leave the closures that scope them.

    /// How to open an environment.
    public struct Configuration: Sendable {
        /// The folder of the environment; created when missing, with `PrivateFiles`' modes.
        public var path: String
        /// The map size to start with when the environment is new. It grows by itself.
        public var initialMapSizeBytes: Int
        /// The largest the map may grow to.
        public var maximumMapSizeBytes: Int
        /// How many read transactions may be open at once, across processes.
        public var maxReaders: UInt32
        /// Whether each commit is synced to disk. Only for scratch environments that are thrown
        /// away after a crash (`MDB_NOSYNC`): a system crash can corrupt an unsynced environment.
        public var syncsCommits: Bool
        /// Whether to open an existing environment for reading only (`MDB_RDONLY`), as the
        /// operators' read tools do: nothing is created, `data.mdb` is never written (a reader
        /// slot in `lock.mdb` is all it takes), so a running server's directory is safe to read.
        /// Every named database must exist.
        public var readOnly: Bool

        /// - Parameters:
        ///   - path: the folder of the environment.
        ///   - initialMapSizeBytes: 64 MiB unless given.
        ///   - maximumMapSizeBytes: 1 TiB unless given (address space, not disk).
        ///   - maxReaders: 1,024 unless given.
        ///   - syncsCommits: `true` unless given.
        ///   - readOnly: `false` unless given.
        public init(
            path: String,
            initialMapSizeBytes: Int = 64 << 20,
            maximumMapSizeBytes: Int = 1 << 40,
            maxReaders: UInt32 = 1024,
            syncsCommits: Bool = true,
            readOnly: Bool = false
        ) {
            self.path = path
            self.initialMapSizeBytes = initialMapSizeBytes
            self.maximumMapSizeBytes = maximumMapSizeBytes
            self.maxReaders = maxReaders
            self.syncsCommits = syncsCommits
            self.readOnly = readOnly
        }

        /// The flags `mdb_env_open` takes for this configuration.
        var openFlags: UInt32 {
            var flags = UInt32(MDB_NOTLS)
            if !self.syncsCommits { flags |= UInt32(MDB_NOSYNC) }
            if self.readOnly { flags |= UInt32(MDB_RDONLY) }
            return flags
        }
    }

    /// The folder of the environment.
    public let path: String
    let pointer: OpaquePointer
    let gate = TransactionGate()
    private let tail: DataFileTail
    private let pageSizeBytes: Int
    private let maximumMapSizeBytes: Int
    private let databases: [String: Database]
    private let mapIsLost = Atomic(false)

    /// Opens (or creates, unless `readOnly`) the environment and the named databases in it.
    public init(_ configuration: Configuration, databaseNames: [String]) throws {
        if !configuration.readOnly {
            try PrivateFiles.createFolder(configuration.path)
        }
        var pointer: OpaquePointer?
        try checkLMDB(mdb_env_create(&pointer), "mdb_env_create")
        guard let pointer else { throw LMDBError(code: ENOMEM, operation: "mdb_env_create") }
        do {
            try checkLMDB(mdb_env_set_maxdbs(pointer, MDB_dbi(databaseNames.count + 1)), "mdb_env_set_maxdbs")
            try checkLMDB(mdb_env_set_mapsize(pointer, configuration.initialMapSizeBytes), "mdb_env_set_mapsize")
            try checkLMDB(mdb_env_set_maxreaders(pointer, configuration.maxReaders), "mdb_env_set_maxreaders")
            try DataFileExtent.requireMetaPages(folder: configuration.path)
            try checkLMDB(mdb_env_open(pointer, configuration.path, configuration.openFlags, mode_t(PrivateFiles.fileMode)), "mdb_env_open(\(configuration.path))")
            try DataFileExtent.requireRoots(of: pointer, folder: configuration.path)
            var cleared: Int32 = 0
            try checkLMDB(mdb_reader_check(pointer, &cleared), "mdb_reader_check")
        } catch {
            mdb_env_close(pointer)
            throw error
        }
        var statistics = MDB_stat()
        mdb_env_stat(pointer, &statistics)
        self.pageSizeBytes = Int(statistics.ms_psize)
        self.tail = DataFileTail(path: configuration.path + "/data.mdb")
        self.pointer = pointer
        self.path = configuration.path
        self.maximumMapSizeBytes = configuration.maximumMapSizeBytes
        // Set last: an initializer that throws once every property is set runs `deinit`, which
        // would close the environment a second time.
        let databases: [String: Database]
        do {
            databases = try Self.openCheckedDatabases(databaseNames, in: pointer, configuration: configuration)
        } catch {
            mdb_env_close(pointer)
            throw error
        }
        self.databases = databases
    }

    deinit {
        mdb_env_close(self.pointer)
    }

    /// The database called `name`, which must have been named at open.
    public func database(_ name: String) -> Database {
        guard let database = self.databases[name] else {
            preconditionFailure("database \(name) was not opened with this environment")
        }
        return database
    }

    /// The current size of the memory map.
    public var mapSizeBytes: Int {
        self.gate.shared { self.infoWithinGate().me_mapsize }
    }

    /// Bytes of the data file up to the end of LMDB's last committed page.
    package var usedBytes: Int {
        self.gate.shared { (self.infoWithinGate().me_last_pgno + 1) * self.pageSizeBytes }
    }

    /// `mdb_env_info`, for a caller holding the gate: it reads the meta pages, which a resize
    /// (on another thread) remaps.
    private func infoWithinGate() -> MDB_envinfo {
        var info = MDB_envinfo()
        guard !self.mapIsLost.load(ordering: .acquiring) else { return info }
        mdb_env_info(self.pointer, &info)
        return info
    }

    /// The data file's length in bytes, zeros ahead of the pages in use included.
    package func dataFileBytes() throws -> Int {
        try self.tail.lengthBytes()
    }

    /// Appends a piece of zeros to the data file toward `targetBytes`, synced with the file's new
    /// length, so that later commits overwrite blocks rather than grow the file; `false` once
    /// the file is that long. Safe beside the writer.
    package func appendZeros(towardBytes targetBytes: Int) throws -> Bool {
        try self.tail.appendZeros(towardBytes: targetBytes)
    }

    /// Runs `body` in a read-only snapshot, which ends when `body` returns.
    public func read<R>(_ body: (ReadTransaction) throws -> R) throws -> R {
        while true {
            do {
                return try self.gate.shared {
                    let transaction = try self.begin(flags: UInt32(MDB_RDONLY))
                    defer { mdb_txn_abort(transaction) }
                    return try body(ReadTransaction(handle: TransactionHandle(pointer: transaction)))
                }
            } catch let error as LMDBError where error.isMapResized {
                try self.adoptMapSize()
            }
        }
    }

    /// Runs `body` in a write transaction and commits it; aborts it if `body` throws.
    ///
    /// Only one thread of a process may write at a time (the journal's writer). `MDB_MAP_FULL`
    /// reaches the caller, which grows the map and runs the whole transaction again.
    package func write<R>(_ body: (WriteTransaction) throws -> R) throws -> R {
        while true {
            do {
                // Held for the whole transaction: LMDB may write pages before the commit too.
                return try self.tail.exclusively {
                    try self.gate.shared { try self.runWriteTransaction(body) }
                }
            } catch let error as LMDBError where error.isMapResized {
                try self.adoptMapSize()
            }
        }
    }

    /// Frees the reader slots of processes that ended inside a read transaction (killed tools,
    /// say); returns how many. LMDB cannot reuse pages freed after such a reader's snapshot, so
    /// until its slot is freed every commit grows the file.
    package func clearStaleReaders() throws -> Int {
        var cleared: Int32 = 0
        try checkLMDB(mdb_reader_check(self.pointer, &cleared), "mdb_reader_check")
        return Int(cleared)
    }

    /// Doubles the map (at least to `minimumBytes`), up to the configured maximum.
    package func growMap(minimumBytes: Int = 0) throws {
        try self.gate.exclusive { () throws(LMDBError) in
            let current = self.infoWithinGate().me_mapsize
            guard current < self.maximumMapSizeBytes else {
                throw LMDBError(code: MDB_MAP_FULL, operation: "growMap beyond \(self.maximumMapSizeBytes) bytes")
            }
            let target = min(max(current * 2, minimumBytes), self.maximumMapSizeBytes)
            try self.remap(toBytes: target)
        }
    }

    /// The panic LMDB refuses every transaction with, if it has failed for good; `nil` while it
    /// works. A commit whose meta page could not be written fails with the write's own error
    /// (`EIO`, say), not `MDB_PANIC`: only the next transaction shows that LMDB has given up.
    package func panic() -> LMDBError? {
        do {
            try self.gate.shared { () throws(LMDBError) in
                mdb_txn_abort(try self.begin(flags: UInt32(MDB_RDONLY)))
            }
            return nil
        } catch {
            return error.isPanic ? error : nil
        }
    }

    /// Flushes the environment to disk (used after bulk work done without per-commit sync).
    public func sync() throws {
        // Under the gate: LMDB may read the meta pages, which move when the map grows.
        try self.gate.shared { () throws(LMDBError) in
            try self.requireMap()
            try checkLMDB(mdb_env_sync(self.pointer, 1), "mdb_env_sync")
        }
    }

    private func runWriteTransaction<R>(_ body: (WriteTransaction) throws -> R) throws -> R {
        let transaction = try self.begin(flags: 0)
        let result: R
        do {
            result = try body(WriteTransaction(handle: TransactionHandle(pointer: transaction)))
        } catch {
            mdb_txn_abort(transaction)
            throw error
        }
        // mdb_txn_commit frees the transaction whether or not it succeeds.
        try checkLMDB(mdb_txn_commit(transaction), "mdb_txn_commit")
        return result
    }

    private func begin(flags: UInt32) throws(LMDBError) -> OpaquePointer {
        try self.requireMap()
        var transaction: OpaquePointer?
        try checkLMDB(mdb_txn_begin(self.pointer, nil, flags, &transaction), "mdb_txn_begin")
        return transaction!
    }

    /// Another process grew the map: take its size (LMDB reads it when given 0).
    private func adoptMapSize() throws {
        try self.gate.exclusive { () throws(LMDBError) in
            try self.remap(toBytes: 0)
        }
    }

    /// Resizes the map, under the gate held exclusively (0: the size another process set).
    ///
    /// LMDB unmaps the old map before it maps the new one; if that fails, it has no map and
    /// any transaction would read unmapped memory.
    private func remap(toBytes sizeBytes: Int) throws(LMDBError) {
        try self.requireMap()
        let code = mdb_env_set_mapsize(self.pointer, sizeBytes)
        guard code == MDB_SUCCESS else {
            self.mapIsLost.store(true, ordering: .releasing)
            let cause = LMDBError(code: code, operation: "mdb_env_set_mapsize(\(sizeBytes))")
            throw LMDBError(code: MDB_PANIC, operation: "\(cause), which leaves no map until the environment is opened again")
        }
    }

    /// Throws `isPanic` once a resize has failed (see `remap`).
    private func requireMap() throws(LMDBError) {
        guard !self.mapIsLost.load(ordering: .acquiring) else {
            throw LMDBError(code: MDB_PANIC, operation: "an earlier resize of the map failed; it is gone until the environment is opened again")
        }
    }

    /// `openDatabases` and the check of their roots, run again on a doubled map whenever it is
    /// full (an existing environment opens on a map no larger than its data, and creating a
    /// database a newer build adds may need a page its free list does not have), and on the map
    /// another process grew meanwhile (a server writing while a tool opens its directory).
    /// No transaction of this process is open between tries: the map may be resized.
    private static func openCheckedDatabases(_ names: [String], in environment: OpaquePointer, configuration: Configuration) throws -> [String: Database] {
        while true {
            do {
                let databases = try Self.openDatabases(names, in: environment, readOnly: configuration.readOnly)
                try DataFileExtent.requireDatabaseRoots(names, of: environment, folder: configuration.path)
                return databases
            } catch let error as LMDBError where error.isMapFull {
                var info = MDB_envinfo()
                mdb_env_info(environment, &info)
                guard info.me_mapsize < configuration.maximumMapSizeBytes else { throw error }
                try checkLMDB(mdb_env_set_mapsize(environment, min(info.me_mapsize * 2, configuration.maximumMapSizeBytes)), "mdb_env_set_mapsize")
            } catch let error as LMDBError where error.isMapResized {
                try checkLMDB(mdb_env_set_mapsize(environment, 0), "mdb_env_set_mapsize")
            }
        }
    }

    /// Opens `names`, creating missing ones unless `readOnly`; the handles outlive the
    /// transaction that opened them, which commits (read-only ones too) to keep them.
    private static func openDatabases(_ names: [String], in environment: OpaquePointer, readOnly: Bool) throws -> [String: Database] {
        var transaction: OpaquePointer?
        try checkLMDB(mdb_txn_begin(environment, nil, readOnly ? UInt32(MDB_RDONLY) : 0, &transaction), "mdb_txn_begin")
        var databases: [String: Database] = [:]
        do {
            for name in names {
                var dbi: MDB_dbi = 0
                let status = mdb_dbi_open(transaction, name, readOnly ? 0 : UInt32(MDB_CREATE), &dbi)
                if status == MDB_NOTFOUND && readOnly { throw MissingDatabase(name: name) }
                try checkLMDB(status, "mdb_dbi_open(\(name))")
                databases[name] = Database(name: name, dbi: dbi)
            }
        } catch {
            mdb_txn_abort(transaction)
            throw error
        }
        try checkLMDB(mdb_txn_commit(transaction), "mdb_txn_commit")
        return databases
    }
}

extension LMDBEnvironment {
    /// A read-only open found no database called `name`: the environment was last written by a
    /// build that did not have it, and only a writer may create it.
    public struct MissingDatabase: Error, Sendable, Equatable, CustomStringConvertible {
        /// The database that is missing.
        public let name: String

        public var description: String {
            "the data has no \(self.name) database yet: start `hooklog serve` (or run `hooklog rebuild`) on it once with this version, then try again"
        }
    }
}
