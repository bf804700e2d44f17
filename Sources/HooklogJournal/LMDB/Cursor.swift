internal import CLMDB

/// A position in a database. Entries it returns are valid until its next move.
public struct Cursor {
    let pointer: OpaquePointer

    /// One key and value, pointing into the memory map.
    public struct Entry {
        /// The key's bytes.
        public let key: UnsafeRawBufferPointer
        /// The value's bytes.
        public let value: UnsafeRawBufferPointer
    }

    /// The first entry.
    public mutating func first() throws -> Entry? { try self.move(MDB_FIRST) }
    /// The last entry.
    public mutating func last() throws -> Entry? { try self.move(MDB_LAST) }
    /// The entry after the current one.
    public mutating func next() throws -> Entry? { try self.move(MDB_NEXT) }
    /// The entry before the current one.
    public mutating func previous() throws -> Entry? { try self.move(MDB_PREV) }

    /// The first entry whose key is at least `key`.
    public mutating func seek(atLeast key: UnsafeRawBufferPointer) throws -> Entry? {
        var keyVal = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var dataVal = MDB_val()
        return try self.finish(mdb_cursor_get(self.pointer, &keyVal, &dataVal, MDB_SET_RANGE), keyVal, dataVal)
    }

    /// The first entry whose key is at least `key`.
    public mutating func seek(atLeast key: [UInt8]) throws -> Entry? {
        try key.withUnsafeBytes { try self.seek(atLeast: $0) }
    }

    /// Appends `value` under `key`, which must sort after every key of the database
    /// (`MDB_APPEND`; `MDB_KEYEXIST` otherwise). A cursor of a write transaction only. Kept at
    /// the end between calls, the cursor finds the last page without a search from the root,
    /// which `WriteTransaction.put` makes on every call.
    public mutating func append(_ value: UnsafeRawBufferPointer, forKey key: UnsafeRawBufferPointer) throws {
        var keyVal = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var dataVal = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        try checkLMDB(mdb_cursor_put(self.pointer, &keyVal, &dataVal, UInt32(MDB_APPEND)), "mdb_cursor_put(MDB_APPEND)")
    }

    private mutating func move(_ operation: MDB_cursor_op) throws -> Entry? {
        var keyVal = MDB_val()
        var dataVal = MDB_val()
        return try self.finish(mdb_cursor_get(self.pointer, &keyVal, &dataVal, operation), keyVal, dataVal)
    }

    private func finish(_ status: Int32, _ keyVal: MDB_val, _ dataVal: MDB_val) throws -> Entry? {
        if status == MDB_NOTFOUND { return nil }
        try checkLMDB(status, "mdb_cursor_get")
        return Entry(
            key: UnsafeRawBufferPointer(start: keyVal.mv_data, count: keyVal.mv_size),
            value: UnsafeRawBufferPointer(start: dataVal.mv_data, count: dataVal.mv_size)
        )
    }
}
