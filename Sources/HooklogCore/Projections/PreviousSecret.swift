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

extension PreviousSecret {
    /// The most rotated-out secrets that sign at once, beside the current one: enough for a
    /// few rotations within one grace period, and a bound on every signature header's length.
    public static let maxSigning = 4

    /// The rotated-out secrets after `secret` is retired at `retiredAtMs` to sign until
    /// `validUntilMs`, newest first: it, then those of `earlier` still signing then, at most
    /// `maxSigning`. A second rotation within a grace period leaves the first secret its grace,
    /// as the first rotation's answer promised; one with no grace (after a leak) adds none.
    public static func retiring(_ secret: String, until validUntilMs: UInt64, atMs retiredAtMs: UInt64, before earlier: [PreviousSecret]) -> [PreviousSecret] {
        Array(([PreviousSecret(secret: secret, validUntilMs: validUntilMs)] + earlier).filter { $0.validUntilMs > retiredAtMs }.prefix(Self.maxSigning))
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
