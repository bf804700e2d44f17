/// Writes compact JSON bytes: no whitespace, strings escaped minimally, foreign values spliced verbatim.
public struct JSONBodyWriter {
    /// An empty writer.
    public init() {}

    /// An empty writer with room for `capacity` bytes before it grows.
    public init(capacity: Int) {
        self.bytes.reserveCapacity(capacity)
    }

    public private(set) var bytes: [UInt8] = []

    /// Appends raw bytes that already are JSON.
    public mutating func appendRaw(_ raw: some Sequence<UInt8>) {
        self.bytes.append(contentsOf: raw)
    }

    /// Appends one ASCII character.
    public mutating func append(_ character: Unicode.Scalar) {
        self.bytes.append(UInt8(ascii: character))
    }

    /// Appends `text` as a JSON string: `"` and `\` escaped, control characters as `\n`, `\u001f`, …; the rest as UTF-8.
    public mutating func appendString(_ text: String) {
        self.bytes.append(UInt8(ascii: "\""))
        // Most text (ids, times, types) needs no escape: it is copied whole.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            self.bytes.append(contentsOf: text.utf8)
            self.bytes.append(UInt8(ascii: "\""))
            return
        }
        let hexDigits = Array("0123456789abcdef".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): self.bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): self.bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: self.bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: self.bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: self.bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: self.bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: self.bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x00..<0x20:
                self.bytes.append(contentsOf: Array("\\u00".utf8))
                self.bytes.append(hexDigits[Int(byte >> 4)])
                self.bytes.append(hexDigits[Int(byte & 0x0F)])
            default:
                self.bytes.append(byte)
            }
        }
        self.bytes.append(UInt8(ascii: "\""))
    }

    /// Appends a JSON integer.
    public mutating func appendInteger(_ value: Int64) {
        self.bytes.append(contentsOf: String(value).utf8)
    }
}
