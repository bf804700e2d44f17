/// A validating scanner over JSON bytes that reports where values lie, without building them.
///
/// The renderer splices the user's bytes verbatim; this is what tells it where a value starts and ends,
/// and which keys a top-level object holds. Nesting is limited to `maximumDepth`.
struct JSONScanner {
    /// One member of a JSON object: its decoded key and the byte ranges of its key (quotes included) and value.
    struct Member: Hashable, Sendable {
        var key: String
        var keyRange: Range<Int>
        var valueRange: Range<Int>
    }

    /// Why bytes are not one JSON value.
    struct Failure: Error, Hashable, Sendable {
        var reason: String
        var offset: Int
    }

    static let maximumDepth = 256
    /// A number of at most this many characters and no exponent is below 1e308, within a
    /// double's range (whose largest is about 1.8e308).
    private static let longestNumberAlwaysInRange = 308

    private let bytes: [UInt8]
    private var index: Int = 0
    /// Whether JSON that strict parsers refuse fails too (I-JSON, RFC 7493): an escaped lone
    /// surrogate anywhere, a number past a double's range. For what is taken in, so that no
    /// receiver's parser (Go's, Rust's serde_json) chokes on a body; what was taken before is
    /// read as it is.
    private let isInteroperableOnly: Bool

    private init(_ bytes: [UInt8], interoperableOnly: Bool = false) {
        self.bytes = bytes
        self.isInteroperableOnly = interoperableOnly
    }

    /// The range of the one JSON value in `bytes`, surrounding whitespace excluded.
    static func valueRange(of bytes: [UInt8], interoperableOnly: Bool = false) throws(Failure) -> Range<Int> {
        var scanner = JSONScanner(bytes, interoperableOnly: interoperableOnly)
        scanner.skipWhitespace()
        let start = scanner.index
        try scanner.skipValue(depth: 0)
        let end = scanner.index
        scanner.skipWhitespace()
        guard scanner.index == bytes.count else { throw Failure(reason: "unexpected bytes after the value", offset: scanner.index) }
        return start..<end
    }

    /// The members of the JSON object that `bytes` holds, in order; `nil` when the value is not an object.
    static func objectMembers(of bytes: [UInt8], interoperableOnly: Bool = false) throws(Failure) -> [Member]? {
        try Self.value(of: bytes, interoperableOnly: interoperableOnly).members
    }

    /// The one JSON value in `bytes`: its range (surrounding whitespace excluded) and, when it is
    /// an object, its members in order. An object is validated and split in the same pass;
    /// anything else is only validated.
    static func value(of bytes: [UInt8], interoperableOnly: Bool = false) throws(Failure) -> (range: Range<Int>, members: [Member]?) {
        var scanner = JSONScanner(bytes, interoperableOnly: interoperableOnly)
        scanner.skipWhitespace()
        let start = scanner.index
        guard scanner.peek() == UInt8(ascii: "{") else {
            return (try Self.valueRange(of: bytes, interoperableOnly: interoperableOnly), nil)
        }
        scanner.index += 1
        var members: [Member] = []
        members.reserveCapacity(8)
        scanner.skipWhitespace()
        if scanner.peek() == UInt8(ascii: "}") {
            scanner.index += 1
        } else {
            while true {
                scanner.skipWhitespace()
                let keyStart = scanner.index
                let key = try scanner.scanString(.decode)
                let keyRange = keyStart..<scanner.index
                scanner.skipWhitespace()
                try scanner.expect(UInt8(ascii: ":"))
                scanner.skipWhitespace()
                let valueStart = scanner.index
                try scanner.skipValue(depth: 1)
                members.append(Member(key: key, keyRange: keyRange, valueRange: valueStart..<scanner.index))
                scanner.skipWhitespace()
                if scanner.peek() == UInt8(ascii: ",") {
                    scanner.index += 1
                    continue
                }
                try scanner.expect(UInt8(ascii: "}"))
                break
            }
        }
        let end = scanner.index
        scanner.skipWhitespace()
        guard scanner.index == bytes.count else { throw Failure(reason: "unexpected bytes after the value", offset: scanner.index) }
        return (start..<end, members)
    }

    /// The text of the string value at `range` of `bytes` (quotes included, as a member's
    /// `valueRange` gives it), for a caller that keeps it as text: unlike keys, an escaped lone
    /// surrogate or bytes that are not UTF-8 are a failure, never replaced.
    static func text(of bytes: [UInt8], at range: Range<Int>) throws(Failure) -> String {
        var scanner = JSONScanner(bytes)
        scanner.index = range.lowerBound
        let text = try scanner.scanString(.decodeStrictly)
        guard scanner.index == range.upperBound else { throw Failure(reason: "expected one string", offset: range.lowerBound) }
        return text
    }

    private func peek() -> UInt8? {
        self.index < self.bytes.count ? self.bytes[self.index] : nil
    }

    private mutating func expect(_ byte: UInt8) throws(Failure) {
        guard self.peek() == byte else {
            let expected = "'\(Character(Unicode.Scalar(byte)))'"
            let reason = self.index == self.bytes.count ? "unexpected end of input, expected \(expected)" : "expected \(expected)"
            throw Failure(reason: reason, offset: self.index)
        }
        self.index += 1
    }

    private mutating func skipWhitespace() {
        while let byte = self.peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
            self.index += 1
        }
    }

    private mutating func skipValue(depth: Int) throws(Failure) {
        guard depth < Self.maximumDepth else { throw Failure(reason: "nested more than \(Self.maximumDepth) levels deep", offset: self.index) }
        guard let byte = self.peek() else { throw Failure(reason: "unexpected end of input", offset: self.index) }
        switch byte {
        case UInt8(ascii: "{"):
            self.index += 1
            self.skipWhitespace()
            if self.peek() == UInt8(ascii: "}") {
                self.index += 1
                return
            }
            while true {
                self.skipWhitespace()
                try self.skipString()
                self.skipWhitespace()
                try self.expect(UInt8(ascii: ":"))
                self.skipWhitespace()
                try self.skipValue(depth: depth + 1)
                self.skipWhitespace()
                if self.peek() == UInt8(ascii: ",") {
                    self.index += 1
                    continue
                }
                try self.expect(UInt8(ascii: "}"))
                return
            }
        case UInt8(ascii: "["):
            self.index += 1
            self.skipWhitespace()
            if self.peek() == UInt8(ascii: "]") {
                self.index += 1
                return
            }
            while true {
                self.skipWhitespace()
                try self.skipValue(depth: depth + 1)
                self.skipWhitespace()
                if self.peek() == UInt8(ascii: ",") {
                    self.index += 1
                    continue
                }
                try self.expect(UInt8(ascii: "]"))
                return
            }
        case UInt8(ascii: "\""):
            try self.skipString()
        case UInt8(ascii: "t"):
            try self.skipLiteral("true")
        case UInt8(ascii: "f"):
            try self.skipLiteral("false")
        case UInt8(ascii: "n"):
            try self.skipLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try self.skipNumber()
        default:
            throw Failure(reason: "unexpected character", offset: self.index)
        }
    }

    private mutating func skipLiteral(_ literal: StaticString) throws(Failure) {
        let count = literal.utf8CodeUnitCount
        guard self.index + count <= self.bytes.count else { throw Failure(reason: "truncated literal", offset: self.index) }
        for offset in 0..<count where self.bytes[self.index + offset] != literal.utf8Start[offset] {
            throw Failure(reason: "invalid literal", offset: self.index)
        }
        self.index += count
    }

    private mutating func skipDigits() throws(Failure) {
        let start = self.index
        while let byte = self.peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
            self.index += 1
        }
        guard self.index > start else { throw Failure(reason: "expected a digit", offset: self.index) }
    }

    private mutating func skipNumber() throws(Failure) {
        let start = self.index
        if self.peek() == UInt8(ascii: "-") { self.index += 1 }
        if self.peek() == UInt8(ascii: "0") {
            self.index += 1
        } else {
            try self.skipDigits()
        }
        if self.peek() == UInt8(ascii: ".") {
            self.index += 1
            try self.skipDigits()
        }
        if self.peek() == UInt8(ascii: "e") || self.peek() == UInt8(ascii: "E") {
            self.index += 1
            if self.peek() == UInt8(ascii: "+") || self.peek() == UInt8(ascii: "-") { self.index += 1 }
            try self.skipDigits()
        }
        // Past a double's range takes an exponent or a long number: only those are read.
        let hasExponent = self.bytes[start..<self.index].contains { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
        if self.isInteroperableOnly, hasExponent || self.index - start > Self.longestNumberAlwaysInRange,
            Double(String(decoding: self.bytes[start..<self.index], as: UTF8.self))?.isFinite != true
        {
            throw Failure(reason: "a number past the range of a double, which strict JSON parsers refuse (RFC 7493)", offset: start)
        }
    }

    private mutating func skipString() throws(Failure) {
        _ = try self.scanString(.skip)
    }

    /// What scanning a string keeps.
    private enum StringMode {
        /// Nothing: the string is only validated.
        case skip
        /// Its text, an escaped lone surrogate read as U+FFFD and bytes that are not UTF-8 repaired (keys).
        case decode
        /// Its text, which must be exact: an escaped lone surrogate or bytes that are not UTF-8 fail.
        case decodeStrictly
    }

    /// Scans one string; returns its text, or "" when skipping.
    private mutating func scanString(_ mode: StringMode) throws(Failure) -> String {
        try self.expect(UInt8(ascii: "\""))
        let start = self.index
        // Most strings hold no escape: their text is their bytes, taken without a buffer of their own.
        var isASCII = true
        while self.index < self.bytes.count {
            let byte = self.bytes[self.index]
            if byte == UInt8(ascii: "\"") {
                self.index += 1
                guard mode != .skip else { return "" }
                return try Self.decodedText(self.bytes[start..<self.index - 1], isASCII: isASCII, mode: mode, offset: start)
            }
            if byte == UInt8(ascii: "\\") {
                return try self.scanEscapedString(mode, from: start, isASCII: isASCII)
            }
            if byte < 0x20 {
                throw Failure(reason: "control character in string", offset: self.index)
            }
            if byte >= 0x80 { isASCII = false }
            self.index += 1
        }
        throw Failure(reason: "unterminated string", offset: self.index)
    }

    /// Scans the rest of a string from its first escape on, decoding into a buffer.
    private mutating func scanEscapedString(_ mode: StringMode, from start: Int, isASCII: Bool) throws(Failure) -> String {
        let decoding = mode != .skip
        var decoded: [UInt8] = decoding ? Array(self.bytes[start..<self.index]) : []
        var isASCII = isASCII
        while true {
            guard let byte = self.peek() else { throw Failure(reason: "unterminated string", offset: self.index) }
            self.index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return try Self.decodedText(decoded[...], isASCII: isASCII, mode: mode, offset: start)
            case UInt8(ascii: "\\"):
                guard let escaped = self.peek() else { throw Failure(reason: "unterminated escape", offset: self.index) }
                self.index += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): if decoding { decoded.append(escaped) }
                case UInt8(ascii: "b"): if decoding { decoded.append(0x08) }
                case UInt8(ascii: "f"): if decoding { decoded.append(0x0C) }
                case UInt8(ascii: "n"): if decoding { decoded.append(0x0A) }
                case UInt8(ascii: "r"): if decoding { decoded.append(0x0D) }
                case UInt8(ascii: "t"): if decoding { decoded.append(0x09) }
                case UInt8(ascii: "u"):
                    let escapeStart = self.index - 2
                    let scalar: Unicode.Scalar
                    if let named = try self.readEscapedScalar() {
                        scalar = named
                    } else if mode == .decodeStrictly || self.isInteroperableOnly {
                        throw Failure(reason: "\\u escape of a lone surrogate", offset: escapeStart)
                    } else {
                        scalar = "\u{FFFD}"
                    }
                    if decoding { decoded.append(contentsOf: String(Character(scalar)).utf8) }
                default:
                    throw Failure(reason: "invalid escape", offset: self.index - 1)
                }
            case 0x00..<0x20:
                throw Failure(reason: "control character in string", offset: self.index - 1)
            default:
                if byte >= 0x80 { isASCII = false }
                if decoding { decoded.append(byte) }
            }
        }
    }

    /// The text of a string's decoded bytes as `mode` wants it.
    private static func decodedText(_ decoded: ArraySlice<UInt8>, isASCII: Bool, mode: StringMode, offset: Int) throws(Failure) -> String {
        switch mode {
        case .skip:
            return ""
        case .decode:
            return String(decoding: decoded, as: UTF8.self)
        case .decodeStrictly:
            guard let text = isASCII ? String(decoding: decoded, as: UTF8.self) : UTF8Text.decode(decoded) else {
                throw Failure(reason: "string bytes are not UTF-8", offset: offset)
            }
            return text
        }
    }

    /// Reads the four hex digits after `\u` (and a following low surrogate escape where needed);
    /// `nil` for a lone surrogate, which names no scalar.
    private mutating func readEscapedScalar() throws(Failure) -> Unicode.Scalar? {
        let first = try self.readHexQuad()
        if (0xD800..<0xDC00).contains(first) {
            guard self.peek() == UInt8(ascii: "\\"), self.index + 1 < self.bytes.count,
                self.bytes[self.index + 1] == UInt8(ascii: "u")
            else { return nil }
            let mark = self.index
            self.index += 2
            let second = try self.readHexQuad()
            guard (0xDC00..<0xE000).contains(second) else {
                self.index = mark
                return nil
            }
            return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
        }
        return Unicode.Scalar(first)
    }

    private mutating func readHexQuad() throws(Failure) -> UInt32 {
        guard self.index + 4 <= self.bytes.count else { throw Failure(reason: "truncated \\u escape", offset: self.index) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = self.bytes[self.index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw Failure(reason: "invalid \\u escape", offset: self.index)
            }
            value = value << 4 | digit
            self.index += 1
        }
        return value
    }
}
