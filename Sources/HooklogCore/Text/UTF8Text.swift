/// Strict UTF-8: text for bytes that are UTF-8, and nothing for bytes that are not (never repaired).
///
/// ASCII is UTF-8 as it stands and is taken directly: `String(validating:)` is generic and looks
/// up type metadata on every call, twice the time for the short strings records and JSON keys hold.
public enum UTF8Text {
    /// The text `bytes` encode; `nil` when they are not UTF-8.
    @inlinable
    public static func decode<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String? {
        if !bytes.contains(where: { $0 >= 0x80 }) {
            return String(decoding: bytes, as: UTF8.self)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Whether `bytes` are UTF-8, without building their text when they are ASCII.
    @inlinable
    public static func isValid<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        !bytes.contains(where: { $0 >= 0x80 }) || String(validating: bytes, as: UTF8.self) != nil
    }
}
