/// A signing secret that was replaced but still signs, beside the new one, until a deadline.
public struct PreviousSecret: Sendable, Equatable {
    /// The replaced secret, as shown to the user.
    public var secret: String
    /// Until when it still signs, in milliseconds since 1970.
    public var validUntilMs: UInt64

    /// A previous secret.
    public init(secret: String, validUntilMs: UInt64) {
        self.secret = secret
        self.validUntilMs = validUntilMs
    }
}

extension PreviousSecret: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.writeString(self.secret)
        writer.writeVarint(self.validUntilMs)
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        self.secret = try reader.readString()
        self.validUntilMs = try reader.readVarint()
    }
}
