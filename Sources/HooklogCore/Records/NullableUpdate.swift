/// A change to a field that may be absent: leave it, set it, or clear it (JSON `null` in a PATCH).
public enum NullableUpdate<Value: Sendable & Equatable>: Sendable, Equatable {
    /// Leave the field as it is.
    case keep
    /// Give the field this value.
    case set(Value)
    /// Remove the field's value.
    case clear

    /// The field's value after this change is applied to `current`.
    public func applied(to current: Value?) -> Value? {
        switch self {
        case .keep: current
        case .set(let value): value
        case .clear: nil
        }
    }
}

extension BinaryWriter {
    mutating func writeUpdate<Value>(_ update: NullableUpdate<Value>, _ write: (inout Self, Value) -> Void) {
        switch update {
        case .keep: self.writeByte(0)
        case .set(let value):
            self.writeByte(1)
            write(&self, value)
        case .clear: self.writeByte(2)
        }
    }
}

extension BinaryReader {
    mutating func readUpdate<Value>(_ read: (inout Self) throws(RecordDecodingError) -> Value) throws(RecordDecodingError) -> NullableUpdate<Value> {
        switch try self.readByte() {
        case 0: return .keep
        case 1: return .set(try read(&self))
        case 2: return .clear
        case let other: throw .invalidValue(offset: self.offset - 1, "update tag \(other)")
        }
    }
}

extension BinaryReader {
    mutating func readStringUpdate() throws(RecordDecodingError) -> NullableUpdate<String> {
        try self.readUpdate { (reader: inout Self) throws(RecordDecodingError) in try reader.readString() }
    }

    mutating func readBytesUpdate() throws(RecordDecodingError) -> NullableUpdate<[UInt8]> {
        try self.readUpdate { (reader: inout Self) throws(RecordDecodingError) in try reader.readBytes() }
    }
}
