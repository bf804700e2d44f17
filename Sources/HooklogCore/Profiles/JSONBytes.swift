/// Reads JSON bytes without building values, for callers outside this module that splice them.
public enum JSONBytes {
    /// Whether `bytes` are exactly one JSON value (surrounding whitespace allowed).
    public static func isOneValue(_ bytes: [UInt8]) -> Bool {
        (try? JSONScanner.valueRange(of: bytes)) != nil
    }
}
