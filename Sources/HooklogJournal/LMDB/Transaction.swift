internal import CLMDB

/// The opaque LMDB transaction behind a `ReadableTransaction`. Only this module can use it.
public struct TransactionHandle {
    let pointer: OpaquePointer
}

/// What every transaction can do: read.
///
/// Buffers handed to a closure point into LMDB's memory map: they are valid only inside the
/// closure and only while the transaction is open; copy what must outlive it.
public protocol ReadableTransaction {
    /// The transaction this value wraps.
    var handle: TransactionHandle { get }
}

extension ReadableTransaction {
    /// Calls `body` with the value stored under `key`, or `nil` when there is none.
    public func withValue<R>(
        forKey key: UnsafeRawBufferPointer,
        in database: Database,
        _ body: (UnsafeRawBufferPointer?) throws -> R
    ) throws -> R {
        var keyVal = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var dataVal = MDB_val()
        let status = mdb_get(self.handle.pointer, database.dbi, &keyVal, &dataVal)
        if status == MDB_NOTFOUND { return try body(nil) }
        try checkLMDB(status, "mdb_get(\(database.name))")
        return try body(UnsafeRawBufferPointer(start: dataVal.mv_data, count: dataVal.mv_size))
    }

    /// A copy of the value stored under `key`, or `nil` when there is none.
    public func value(forKey key: [UInt8], in database: Database) throws -> [UInt8]? {
        try key.withUnsafeBytes { keyBytes in
            try self.withValue(forKey: keyBytes, in: database) { $0.map { Array($0) } }
        }
    }

    /// Calls `body` with a cursor over `database`, closed when `body` returns.
    public func withCursor<R>(over database: Database, _ body: (inout Cursor) throws -> R) throws -> R {
        var pointer: OpaquePointer?
        try checkLMDB(mdb_cursor_open(self.handle.pointer, database.dbi, &pointer), "mdb_cursor_open(\(database.name))")
        var cursor = Cursor(pointer: pointer!)
        defer { mdb_cursor_close(cursor.pointer) }
        return try body(&cursor)
    }

    /// The number of entries in `database`.
    public func entryCount(of database: Database) throws -> Int {
        var stat = MDB_stat()
        try checkLMDB(mdb_stat(self.handle.pointer, database.dbi, &stat), "mdb_stat(\(database.name))")
        return stat.ms_entries
    }
}

/// A read-only snapshot. Opened with `MDB_NOTLS`, so it may be used on any thread, but it must
/// never be held across an `await`: `LMDBEnvironment.read` scopes it to a synchronous closure.
public struct ReadTransaction: ReadableTransaction {
    public let handle: TransactionHandle
}

/// The one write transaction. It belongs to the thread that began it (the journal's writer thread).
public struct WriteTransaction: ReadableTransaction {
    public let handle: TransactionHandle

    /// How `put` treats an existing key.
    public struct PutMode: Sendable {
        let flags: UInt32
        /// Insert or replace.
        public static let upsert = PutMode(flags: 0)
        /// The key must sort after every key in the database (`MDB_APPEND`): fast, for logs.
        public static let append = PutMode(flags: UInt32(MDB_APPEND))
        /// Fail with `MDB_KEYEXIST` when the key is already there.
        public static let insertOnly = PutMode(flags: UInt32(MDB_NOOVERWRITE))
    }

    /// Stores `value` under `key`.
    public func put(
        _ value: UnsafeRawBufferPointer,
        forKey key: UnsafeRawBufferPointer,
        in database: Database,
        mode: PutMode = .upsert
    ) throws {
        var keyVal = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var dataVal = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        try checkLMDB(mdb_put(self.handle.pointer, database.dbi, &keyVal, &dataVal, mode.flags), "mdb_put(\(database.name))")
    }

    /// Stores `value` under `key`.
    public func put(_ value: [UInt8], forKey key: [UInt8], in database: Database, mode: PutMode = .upsert) throws {
        try value.withUnsafeBytes { valueBytes in
            try key.withUnsafeBytes { keyBytes in
                try self.put(valueBytes, forKey: keyBytes, in: database, mode: mode)
            }
        }
    }

    /// Reserves `count` bytes under `key` and lets `fill` write them in place (`MDB_RESERVE`),
    /// saving a copy for large values.
    public func put(
        reserving count: Int,
        forKey key: UnsafeRawBufferPointer,
        in database: Database,
        mode: PutMode = .upsert,
        fill: (UnsafeMutableRawBufferPointer) throws -> Void
    ) throws {
        var keyVal = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var dataVal = MDB_val(mv_size: count, mv_data: nil)
        try checkLMDB(
            mdb_put(self.handle.pointer, database.dbi, &keyVal, &dataVal, mode.flags | UInt32(MDB_RESERVE)),
            "mdb_put(\(database.name))"
        )
        try fill(UnsafeMutableRawBufferPointer(start: dataVal.mv_data, count: count))
    }

    /// Removes `key`; returns whether it was there.
    @discardableResult
    public func delete(forKey key: [UInt8], in database: Database) throws -> Bool {
        try key.withUnsafeBytes { try self.delete(forKey: $0, in: database) }
    }

    /// Removes `key`; returns whether it was there.
    @discardableResult
    public func delete(forKey key: UnsafeRawBufferPointer, in database: Database) throws -> Bool {
        var keyVal = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        let status = mdb_del(self.handle.pointer, database.dbi, &keyVal, nil)
        if status == MDB_NOTFOUND { return false }
        try checkLMDB(status, "mdb_del(\(database.name))")
        return true
    }

    /// Removes every entry of `database`, keeping the database itself.
    public func removeAll(in database: Database) throws {
        try checkLMDB(mdb_drop(self.handle.pointer, database.dbi, 0), "mdb_drop(\(database.name))")
    }
}
