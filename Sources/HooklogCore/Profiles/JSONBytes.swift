/// Reads JSON bytes without building values, for callers outside this module that splice them.
public enum JSONBytes {
    /// Whether `bytes` are exactly one JSON value (surrounding whitespace allowed).
    public static func isOneValue(_ bytes: [UInt8]) -> Bool {
        (try? JSONScanner.valueRange(of: bytes)) != nil
    }

    /// The bytes of each member's value of the object `bytes` holds (a repeated key: the last);
    /// `nil` when `bytes` are not one JSON object.
    public static func memberValues(of bytes: [UInt8]) -> [String: [UInt8]]? {
        guard let members = try? JSONScanner.objectMembers(of: bytes) else { return nil }
        var values: [String: [UInt8]] = [:]
        for member in members {
            values[member.key] = Array(bytes[member.valueRange])
        }
        return values
    }
}
