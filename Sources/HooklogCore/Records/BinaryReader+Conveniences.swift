/// Shorthands for common optional and repeated fields (closures would need their thrown type spelled out).
extension BinaryReader {
    mutating func readOptionalString() throws(RecordDecodingError) -> String? {
        guard try self.readBool() else { return nil }
        return try self.readString()
    }

    mutating func readOptionalBytes() throws(RecordDecodingError) -> [UInt8]? {
        guard try self.readBool() else { return nil }
        return try self.readBytes()
    }

    mutating func readOptionalVarint() throws(RecordDecodingError) -> UInt64? {
        guard try self.readBool() else { return nil }
        return try self.readVarint()
    }

    mutating func readOptionalVarint16() throws(RecordDecodingError) -> UInt16? {
        guard try self.readBool() else { return nil }
        return try self.readVarint16()
    }

    mutating func readOptionalID<Kind>(_ type: PrefixedID<Kind>.Type = PrefixedID<Kind>.self) throws(RecordDecodingError) -> PrefixedID<Kind>? {
        guard try self.readBool() else { return nil }
        return try self.readID()
    }

    mutating func readOptionalTag<Value: RawRepresentable<UInt8>>(_ type: Value.Type = Value.self) throws(RecordDecodingError) -> Value? {
        guard try self.readBool() else { return nil }
        return try self.readTag()
    }

    mutating func readOptional<Value: BinaryCodable>(_ type: Value.Type = Value.self) throws(RecordDecodingError) -> Value? {
        guard try self.readBool() else { return nil }
        return try Value(from: &self)
    }

    mutating func readStrings() throws(RecordDecodingError) -> [String] {
        let count = try self.readCount()
        var items: [String] = []
        items.reserveCapacity(count)
        for _ in 0..<count {
            items.append(try self.readString())
        }
        return items
    }

    mutating func readOptionalStrings() throws(RecordDecodingError) -> [String]? {
        guard try self.readBool() else { return nil }
        return try self.readStrings()
    }

    mutating func readArray<Item: BinaryCodable>(of type: Item.Type = Item.self) throws(RecordDecodingError) -> [Item] {
        let count = try self.readCount()
        var items: [Item] = []
        items.reserveCapacity(count)
        for _ in 0..<count {
            items.append(try Item(from: &self))
        }
        return items
    }
}
