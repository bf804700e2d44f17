/// The `Idempotency-Key` a creating request came with, and the SHA-256 of its body: a later
/// request with the key is a repeat, answered as the first was (or told it was, when the answer
/// held what is not kept), only if its body is the same.
public struct IdempotentRequest: Sendable, Equatable {
    /// The header's value.
    public var key: String
    /// SHA-256 of the request's body, byte for byte as it came.
    public var bodyDigest: SHA256Digest

    /// A request carrying `key` with a body hashing to `bodyDigest`.
    public init(key: String, bodyDigest: SHA256Digest) {
        self.key = key
        self.bodyDigest = bodyDigest
    }
}

extension IdempotentRequest: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.writeString(self.key)
        writer.writeDigest(self.bodyDigest)
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        self.key = try reader.readString()
        self.bodyDigest = try reader.readDigest()
    }
}
