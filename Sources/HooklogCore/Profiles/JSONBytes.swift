/// Reads JSON bytes without building values, for callers outside this module that splice them.
public enum JSONBytes {
    /// Whether `bytes` are exactly one JSON value (surrounding whitespace allowed), in UTF-8:
    /// the scanner reads strings without validating them, and JSON text is UTF-8 (RFC 8259).
    public static func isOneValue(_ bytes: [UInt8]) -> Bool {
        (try? JSONScanner.valueRange(of: bytes)) != nil && UTF8Text.isValid(bytes)
    }
}
