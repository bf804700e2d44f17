/// Writes the primitives of Hooklog's binary formats (records and projection values).
///
/// Unsigned integers are LEB128 varints (minimal), or fixed-width big-endian where a key must sort;
/// strings and byte strings are a varint length then the bytes; optionals a presence byte (0 or 1)
/// then the value; arrays a varint count then the items; enums one tag byte.
struct BinaryWriter {
    /// Everything written so far.
    private(set) var bytes: [UInt8]

    init(capacity: Int = 64) {
        self.bytes = []
        self.bytes.reserveCapacity(capacity)
    }

    mutating func writeByte(_ value: UInt8) {
        self.bytes.append(value)
    }

    mutating func writeBool(_ value: Bool) {
        self.bytes.append(value ? 1 : 0)
    }

    mutating func writeVarint(_ value: UInt64) {
        var remaining = value
        while remaining >= 0x80 {
            self.bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        self.bytes.append(UInt8(remaining))
    }

    mutating func writeVarint(_ value: UInt32) {
        self.writeVarint(UInt64(value))
    }

    mutating func writeVarint(_ value: UInt16) {
        self.writeVarint(UInt64(value))
    }

    mutating func writeBigEndian(_ value: UInt64) {
        withUnsafeBytes(of: value.bigEndian) { self.bytes.append(contentsOf: $0) }
    }

    mutating func writeBytes(_ value: some Collection<UInt8>) {
        self.writeVarint(UInt64(value.count))
        self.bytes.append(contentsOf: value)
    }

    mutating func writeString(_ value: String) {
        self.writeBytes(value.utf8)
    }

    mutating func writeID<Kind>(_ value: PrefixedID<Kind>) {
        value.append(to: &self.bytes)
    }

    mutating func writeDigest(_ value: SHA256Digest) {
        value.withUnsafeBytes { self.bytes.append(contentsOf: $0) }
    }

    mutating func writeTag<Value: RawRepresentable<UInt8>>(_ value: Value) {
        self.bytes.append(value.rawValue)
    }

    mutating func writeOptional<Value>(_ value: Value?, _ write: (inout Self, Value) -> Void) {
        guard let value else {
            self.bytes.append(0)
            return
        }
        self.bytes.append(1)
        write(&self, value)
    }

    mutating func writeArray<Item>(_ items: [Item], _ write: (inout Self, Item) -> Void) {
        self.writeVarint(UInt64(items.count))
        for item in items {
            write(&self, item)
        }
    }

    mutating func write(_ value: some BinaryCodable) {
        value.encode(to: &self)
    }
}
