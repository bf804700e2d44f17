/// Shorthands for common optional and repeated fields, mirroring `BinaryReader`'s.
extension BinaryWriter {
    mutating func writeOptionalString(_ value: String?) {
        self.writeOptional(value) { $0.writeString($1) }
    }

    mutating func writeOptionalBytes(_ value: [UInt8]?) {
        self.writeOptional(value) { $0.writeBytes($1) }
    }

    mutating func writeOptionalVarint(_ value: UInt64?) {
        self.writeOptional(value) { $0.writeVarint($1) }
    }

    mutating func writeOptionalVarint16(_ value: UInt16?) {
        self.writeOptional(value) { $0.writeVarint($1) }
    }

    mutating func writeOptionalID<Kind>(_ value: PrefixedID<Kind>?) {
        self.writeOptional(value) { $0.writeID($1) }
    }

    mutating func writeOptionalTag<Value: RawRepresentable<UInt8>>(_ value: Value?) {
        self.writeOptional(value) { $0.writeTag($1) }
    }

    mutating func writeOptional(_ value: (some BinaryCodable)?) {
        self.writeOptional(value) { $0.write($1) }
    }

    mutating func writeStrings(_ values: [String]) {
        self.writeArray(values) { $0.writeString($1) }
    }

    mutating func writeOptionalStrings(_ values: [String]?) {
        self.writeOptional(values) { $0.writeStrings($1) }
    }

    mutating func writeArray(_ items: [some BinaryCodable]) {
        self.writeArray(items) { $0.write($1) }
    }
}
