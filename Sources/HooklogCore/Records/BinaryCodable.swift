/// A value with a body in Hooklog's binary format (see `BinaryWriter`); the version byte and
/// kind tag around it belong to whoever frames it.
protocol BinaryCodable {
    /// Writes the fields, in their fixed order.
    func encode(to writer: inout BinaryWriter)
    /// Reads the fields written by `encode(to:)` (for `reader.version`).
    init(from reader: inout BinaryReader) throws(RecordDecodingError)
}

/// Framing for values that stand alone (projection values): one version byte, then the body.
enum BinaryFraming {
    /// The version byte followed by `value`'s body.
    static func encode(_ value: some BinaryCodable, version: UInt8) -> [UInt8] {
        var writer = BinaryWriter()
        writer.writeByte(version)
        value.encode(to: &writer)
        return writer.bytes
    }

    /// Reads a version byte that must be in `versions`, then a body that must fill the bytes.
    static func decode<Value: BinaryCodable>(
        _ type: Value.Type,
        from bytes: some Collection<UInt8>,
        versions: ClosedRange<UInt8>
    ) throws(RecordDecodingError) -> Value {
        try withContiguousBytes(bytes) { buffer throws(RecordDecodingError) in
            var reader = BinaryReader(buffer)
            let version = try reader.readByte()
            guard versions.contains(version) else { throw .unsupportedVersion(version, offset: 0) }
            reader.version = version
            let value = try Value(from: &reader)
            try reader.expectEnd()
            return value
        }
    }

    /// Calls `body` with `bytes` as one contiguous buffer, copying only if they are not already.
    static func withContiguousBytes<Value>(
        _ bytes: some Collection<UInt8>,
        _ body: (UnsafeRawBufferPointer) throws(RecordDecodingError) -> Value
    ) throws(RecordDecodingError) -> Value {
        let outcome: Result<Value, RecordDecodingError>? = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(RecordDecodingError) in try body(UnsafeRawBufferPointer(buffer)) }
        }
        if let outcome { return try outcome.get() }
        let copy = Array(bytes)
        return try copy.withUnsafeBytes { buffer in
            Result { () throws(RecordDecodingError) in try body(buffer) }
        }.get()
    }
}
