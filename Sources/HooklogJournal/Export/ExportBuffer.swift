import HooklogCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Export lines under construction: JSON and CSV pieces written straight into one growing byte
/// buffer, without intermediate strings on the hot path. Kept across chunks, so its caches
/// (the formatted day) survive; `take()` hands the bytes out.
struct ExportBuffer: Sendable {
    private(set) var bytes: [UInt8] = []
    private var cachedDay: UInt64 = .max
    private var cachedDayText: [UInt8] = []

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
    private static let base64Alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    init(capacity: Int) {
        self.bytes.reserveCapacity(capacity)
    }

    /// The bytes written since the last `take()`; the buffer starts over with `capacity`.
    mutating func take(reservingCapacity capacity: Int) -> [UInt8] {
        var taken: [UInt8] = []
        taken.reserveCapacity(capacity)
        swap(&taken, &self.bytes)
        return taken
    }

    var count: Int { self.bytes.count }

    // MARK: Raw pieces

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { self.bytes.append(contentsOf: $0) }
    }

    mutating func append(byte: UInt8) {
        self.bytes.append(byte)
    }

    mutating func append(raw: UnsafeRawBufferPointer) {
        self.bytes.append(contentsOf: raw.assumingMemoryBound(to: UInt8.self))
    }

    mutating func append(raw: [UInt8]) {
        self.bytes.append(contentsOf: raw)
    }

    /// A decimal integer.
    mutating func append(decimal value: UInt64) {
        if value < 10 {
            self.bytes.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
        var count = 0
        var remaining = value
        withUnsafeMutableBytes(of: &digits) { scratch in
            while remaining > 0 {
                scratch[23 - count] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
                count += 1
            }
            self.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[(24 - count)...]).assumingMemoryBound(to: UInt8.self))
        }
    }

    /// 64 lower-case hexadecimal digits.
    mutating func append(hex digest: SHA256Digest) {
        digest.withUnsafeBytes { digestBytes in
            Self.hexDigits.withUnsafeBufferPointer { digits in
                self.appendWritten(count: digestBytes.count * 2) { out in
                    for (index, byte) in digestBytes.enumerated() {
                        out[2 * index] = digits[Int(byte >> 4)]
                        out[2 * index + 1] = digits[Int(byte & 0x0F)]
                    }
                }
            }
        }
    }

    /// Appends `count` bytes that `write` fills in place: one growth and one uniqueness check for
    /// the lot, not one per byte (the hex and base64 encoders write a byte at a time).
    private mutating func appendWritten(count: Int, _ write: (UnsafeMutableBufferPointer<UInt8>) -> Void) {
        let start = self.bytes.count
        self.bytes.append(contentsOf: repeatElement(0, count: count))
        self.bytes.withUnsafeMutableBufferPointer { all in
            write(UnsafeMutableBufferPointer(rebasing: all[start..<(start + count)]))
        }
    }

    /// An id's text, e.g. `evt_01jv8m2k3q4r5s6t7v8w9x0y1z`.
    mutating func append<Kind>(id: PrefixedID<Kind>) {
        var text = id.description
        text.withUTF8 { self.bytes.append(contentsOf: $0) }
    }

    /// RFC 3339 in UTC with milliseconds, e.g. `2026-05-09T14:32:55.123Z` (no quotes).
    mutating func append(timestampMs: UInt64) {
        let day = timestampMs / 86_400_000
        if day != self.cachedDay {
            guard let text = TimeFormat.rfc3339(instantMs: Int64(clamping: timestampMs), millis: true) else {
                self.append(decimal: timestampMs)
                return
            }
            self.cachedDay = day
            self.cachedDayText = Array(text.utf8.prefix(11))  // "YYYY-MM-DDT"
        }
        self.bytes.append(contentsOf: self.cachedDayText)
        let msOfDay = timestampMs % 86_400_000
        self.append(twoDigits: msOfDay / 3_600_000)
        self.bytes.append(UInt8(ascii: ":"))
        self.append(twoDigits: msOfDay / 60_000 % 60)
        self.bytes.append(UInt8(ascii: ":"))
        self.append(twoDigits: msOfDay / 1000 % 60)
        self.bytes.append(UInt8(ascii: "."))
        let millis = msOfDay % 1000
        self.bytes.append(UInt8(ascii: "0") + UInt8(millis / 100))
        self.append(twoDigits: millis % 100)
        self.bytes.append(UInt8(ascii: "Z"))
    }

    private mutating func append(twoDigits value: UInt64) {
        self.bytes.append(UInt8(ascii: "0") + UInt8(value / 10))
        self.bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    /// Standard padded base64 (RFC 4648 §4).
    mutating func append(base64 input: UnsafeRawBufferPointer) {
        Self.base64Alphabet.withUnsafeBufferPointer { alphabet in
            self.appendWritten(count: (input.count + 2) / 3 * 4) { out in
                var index = 0
                var written = 0
                while index + 3 <= input.count {
                    let group = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
                    out[written] = alphabet[Int(group >> 18 & 0x3F)]
                    out[written + 1] = alphabet[Int(group >> 12 & 0x3F)]
                    out[written + 2] = alphabet[Int(group >> 6 & 0x3F)]
                    out[written + 3] = alphabet[Int(group & 0x3F)]
                    index += 3
                    written += 4
                }
                let remaining = input.count - index
                if remaining > 0 {
                    let second = remaining == 2 ? UInt32(input[index + 1]) : 0
                    let group = UInt32(input[index]) << 16 | second << 8
                    out[written] = alphabet[Int(group >> 18 & 0x3F)]
                    out[written + 1] = alphabet[Int(group >> 12 & 0x3F)]
                    out[written + 2] = remaining == 2 ? alphabet[Int(group >> 6 & 0x3F)] : UInt8(ascii: "=")
                    out[written + 3] = UInt8(ascii: "=")
                }
            }
        }
    }

    /// Standard padded base64 (RFC 4648 §4).
    mutating func append(base64 input: [UInt8]) {
        input.withUnsafeBytes { self.append(base64: $0) }
    }

    // MARK: JSON

    /// `text` as a JSON string, quotes included.
    mutating func append(jsonString text: String) {
        var text = text
        text.withUTF8 { self.append(jsonString: UnsafeRawBufferPointer($0)) }
    }

    /// UTF-8 bytes as a JSON string, quotes included: `"` and `\` escaped, control characters as
    /// `\n`, `\u001f`, …, everything else verbatim, so that decoding gives back the same bytes.
    /// Runs of eight bytes that need nothing escaped are found a word at a time.
    mutating func append(jsonString input: UnsafeRawBufferPointer) {
        self.bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        var index = 0
        let count = input.count
        while index < count {
            if index + 8 <= count {
                let word = input.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                if !Self.mayNeedEscape(word) {
                    index += 8
                    continue
                }
            }
            let byte = input[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 {
                if runStart < index {
                    self.append(raw: UnsafeRawBufferPointer(rebasing: input[runStart..<index]))
                }
                self.appendEscaped(byte)
                runStart = index + 1
            }
            index += 1
        }
        if runStart < count {
            self.append(raw: UnsafeRawBufferPointer(rebasing: input[runStart..<count]))
        }
        self.bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscaped(_ byte: UInt8) {
        self.bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): self.bytes.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): self.bytes.append(UInt8(ascii: "\\"))
        case 0x0A: self.bytes.append(UInt8(ascii: "n"))
        case 0x0D: self.bytes.append(UInt8(ascii: "r"))
        case 0x09: self.bytes.append(UInt8(ascii: "t"))
        default:
            self.append("u00")
            self.bytes.append(Self.hexDigits[Int(byte >> 4)])
            self.bytes.append(Self.hexDigits[Int(byte & 0x0F)])
        }
    }

    /// Whether any byte of `word` is `"`, `\` or below 0x20 (may say yes for bytes ≥ 0x80 too).
    @inline(__always)
    private static func mayNeedEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let zeroInQuote = (quote &- ones) & ~quote
        let zeroInBackslash = (backslash &- ones) & ~backslash
        let below0x20 = (word &- ones &* 0x20) & ~word
        return (zeroInQuote | zeroInBackslash | below0x20) & highs != 0
    }

    /// A JSON string or `null`.
    mutating func append(jsonString text: String?) {
        if let text { self.append(jsonString: text) } else { self.append("null") }
    }

    /// A JSON array of strings.
    mutating func append(jsonStrings texts: [String]) {
        self.bytes.append(UInt8(ascii: "["))
        for (index, text) in texts.enumerated() {
            if index > 0 { self.bytes.append(UInt8(ascii: ",")) }
            self.append(jsonString: text)
        }
        self.bytes.append(UInt8(ascii: "]"))
    }

    /// A quoted timestamp, or `null`.
    mutating func append(jsonTimestampMs timestampMs: UInt64?) {
        guard let timestampMs else {
            self.append("null")
            return
        }
        self.bytes.append(UInt8(ascii: "\""))
        self.append(timestampMs: timestampMs)
        self.bytes.append(UInt8(ascii: "\""))
    }

    /// A quoted id, or `null`.
    mutating func append<Kind>(jsonID id: PrefixedID<Kind>?) {
        guard let id else {
            self.append("null")
            return
        }
        self.bytes.append(UInt8(ascii: "\""))
        self.append(id: id)
        self.bytes.append(UInt8(ascii: "\""))
    }

    /// A decimal integer, or `null`.
    mutating func append(jsonInteger value: UInt64?) {
        if let value { self.append(decimal: value) } else { self.append("null") }
    }

    /// Quoted base64 of `bytes`, or `null`.
    mutating func append(jsonBase64 bytes: [UInt8]?) {
        guard let bytes else {
            self.append("null")
            return
        }
        self.bytes.append(UInt8(ascii: "\""))
        self.append(base64: bytes)
        self.bytes.append(UInt8(ascii: "\""))
    }

    // MARK: CSV

    /// Bytes as one CSV field (RFC 4180): quoted, with every `"` doubled.
    mutating func append(csvQuoted input: UnsafeRawBufferPointer) {
        self.bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        // Quotes found by memchr, which reads a word at a time.
        while runStart < input.count, let base = input.baseAddress,
            let quote = memchr(base + runStart, Int32(UInt8(ascii: "\"")), input.count - runStart)
        {
            let index = base.distance(to: UnsafeRawPointer(quote))
            self.append(raw: UnsafeRawBufferPointer(rebasing: input[runStart...index]))
            self.bytes.append(UInt8(ascii: "\""))
            runStart = index + 1
        }
        if runStart < input.count {
            self.append(raw: UnsafeRawBufferPointer(rebasing: input[runStart...]))
        }
        self.bytes.append(UInt8(ascii: "\""))
    }
}
