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
    public static let maxSigningCount = 4

    /// The rotated-out secrets after `secret` is retired at `retiredAtMs` to sign until
    /// `validUntilMs`, newest first: it, then those of `earlier` still signing then, at most
    /// `maxSigningCount`. A second rotation within a grace period leaves the first secret its
    /// grace, as the first rotation's answer promised. One with no grace (after a leak) ends
    /// every earlier grace too: none of them signs again.
    public static func retiring(_ secret: String, untilMs validUntilMs: UInt64, atMs retiredAtMs: UInt64, before earlier: [PreviousSecret]) -> [PreviousSecret] {
        guard validUntilMs > retiredAtMs else { return [] }
        return Array(([PreviousSecret(secret: secret, validUntilMs: validUntilMs)] + earlier).filter { $0.validUntilMs > retiredAtMs }.prefix(Self.maxSigningCount))
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
