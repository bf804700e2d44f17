/// Reads what `BinaryWriter` writes, checking every length against the bytes that remain before
/// it allocates or reads anything, so that no input can crash it or make it allocate much.
///
/// It borrows the bytes: use it only inside the `withUnsafeBytes` scope that lent them.
struct BinaryReader {
    private let buffer: UnsafeRawBufferPointer
    /// Where the next read starts.
    private(set) var offset: Int

    /// The format version of the value being read, for decoders that differ between versions.
    var version: UInt8 = 0

    init(_ buffer: UnsafeRawBufferPointer) {
        self.buffer = buffer
        self.offset = 0
    }

    /// How many bytes are left.
    var remainingCount: Int { self.buffer.count - self.offset }

    /// Throws unless every byte has been read.
    func expectEnd() throws(RecordDecodingError) {
        guard self.remainingCount == 0 else {
            throw .trailingBytes(offset: self.offset, count: self.remainingCount)
        }
    }

    mutating func readByte() throws(RecordDecodingError) -> UInt8 {
        guard self.remainingCount >= 1 else { throw .truncated(offset: self.offset, needed: 1) }
        let value = self.buffer[self.offset]
        self.offset += 1
        return value
    }

    mutating func readBool() throws(RecordDecodingError) -> Bool {
        switch try self.readByte() {
        case 0: return false
        case 1: return true
        case let other: throw .invalidValue(offset: self.offset - 1, "boolean byte \(other)")
        }
    }

    mutating func readVarint() throws(RecordDecodingError) -> UInt64 {
        let start = self.offset
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try self.readByte()
            // The tenth byte may only carry the top bit of 64.
            if shift == 63, byte > 1 {
                throw .invalidValue(offset: start, "varint beyond 64 bits")
            }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 {
                // A zero last byte after others is a non-minimal encoding: one value, one spelling.
                if byte == 0, self.offset - start > 1 {
                    throw .invalidValue(offset: start, "varint not minimal")
                }
                return value
            }
            shift += 7
        }
    }

    mutating func readVarint32() throws(RecordDecodingError) -> UInt32 {
        let start = self.offset
        let value = try self.readVarint()
        guard let narrow = UInt32(exactly: value) else { throw .invalidValue(offset: start, "\(value) exceeds 32 bits") }
        return narrow
    }

    mutating func readVarint16() throws(RecordDecodingError) -> UInt16 {
        let start = self.offset
        let value = try self.readVarint()
        guard let narrow = UInt16(exactly: value) else { throw .invalidValue(offset: start, "\(value) exceeds 16 bits") }
        return narrow
    }

    mutating func readBigEndian() throws(RecordDecodingError) -> UInt64 {
        guard self.remainingCount >= 8 else { throw .truncated(offset: self.offset, needed: 8 - self.remainingCount) }
        let value = UInt64(bigEndian: self.buffer.loadUnaligned(fromByteOffset: self.offset, as: UInt64.self))
        self.offset += 8
        return value
    }

    /// A varint length that fits in the remaining bytes (each item takes at least one byte).
    mutating func readCount() throws(RecordDecodingError) -> Int {
        let start = self.offset
        let count = try self.readVarint()
        guard count <= UInt64(self.remainingCount) else {
            throw .truncated(offset: start, needed: Int(clamping: count) - self.remainingCount)
        }
        return Int(count)
    }

    mutating func readBytes() throws(RecordDecodingError) -> [UInt8] {
        let count = try self.readCount()
        return Array(try self.readRaw(count: count))
    }

    /// A byte string of at most `maxCount` bytes.
    mutating func readBytes(maxCount: Int) throws(RecordDecodingError) -> [UInt8] {
        let start = self.offset
        let bytes = try self.readBytes()
        guard bytes.count <= maxCount else {
            throw .invalidValue(offset: start, "\(bytes.count) bytes where at most \(maxCount) are allowed")
        }
        return bytes
    }

    mutating func readString() throws(RecordDecodingError) -> String {
        let count = try self.readCount()
        let start = self.offset
        guard let string = UTF8Text.decode(try self.readRaw(count: count)) else {
            throw .invalidUTF8(offset: start)
        }
        return string
    }

    mutating func readID<Kind>(_ type: PrefixedID<Kind>.Type = PrefixedID<Kind>.self) throws(RecordDecodingError) -> PrefixedID<Kind> {
        guard self.remainingCount >= 16 else { throw .truncated(offset: self.offset, needed: 16 - self.remainingCount) }
        let high = try self.readBigEndian()
        let low = try self.readBigEndian()
        return PrefixedID(rawValue: UInt128(high) << 64 | UInt128(low))
    }

    mutating func readDigest() throws(RecordDecodingError) -> SHA256Digest {
        let raw = try self.readRaw(count: SHA256Digest.byteCount)
        return SHA256Digest(copying: UnsafeRawBufferPointer(rebasing: raw))
    }

    mutating func readTag<Value: RawRepresentable<UInt8>>(_ type: Value.Type = Value.self) throws(RecordDecodingError) -> Value {
        let tag = try self.readByte()
        guard let value = Value(rawValue: tag) else {
            throw .invalidValue(offset: self.offset - 1, "tag \(tag) of \(Value.self)")
        }
        return value
    }

    mutating func readOptional<Value>(_ read: (inout Self) throws(RecordDecodingError) -> Value) throws(RecordDecodingError) -> Value? {
        guard try self.readBool() else { return nil }
        return try read(&self)
    }

    mutating func readArray<Item>(_ read: (inout Self) throws(RecordDecodingError) -> Item) throws(RecordDecodingError) -> [Item] {
        let count = try self.readCount()
        var items: [Item] = []
        items.reserveCapacity(count)
        for _ in 0..<count {
            items.append(try read(&self))
        }
        return items
    }

    mutating func read<Value: BinaryCodable>(_ type: Value.Type = Value.self) throws(RecordDecodingError) -> Value {
        try Value(from: &self)
    }

    private mutating func readRaw(count: Int) throws(RecordDecodingError) -> Slice<UnsafeRawBufferPointer> {
        guard count <= self.remainingCount else {
            throw .truncated(offset: self.offset, needed: count - self.remainingCount)
        }
        let slice = self.buffer[self.offset..<(self.offset + count)]
        self.offset += count
        return slice
    }
}
