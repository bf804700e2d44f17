/// Checks bytes for well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF),
/// without making a `String`. ASCII is checked eight bytes at a time.
enum UTF8Validation {
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let count = bytes.count
        var index = 0
        while index < count {
            if index + 8 <= count, bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                index += 8
                continue
            }
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            // The sequence's length and the range its second byte must fall in.
            let shape: (length: Int, lower: UInt8, upper: UInt8)
            switch lead {
            case 0xC2...0xDF: shape = (2, 0x80, 0xBF)
            case 0xE0: shape = (3, 0xA0, 0xBF)
            case 0xE1...0xEC, 0xEE...0xEF: shape = (3, 0x80, 0xBF)
            case 0xED: shape = (3, 0x80, 0x9F)
            case 0xF0: shape = (4, 0x90, 0xBF)
            case 0xF1...0xF3: shape = (4, 0x80, 0xBF)
            case 0xF4: shape = (4, 0x80, 0x8F)
            default: return false
            }
            let length = shape.length
            guard index + length <= count else { return false }
            let second = bytes[index + 1]
            guard second >= shape.lower, second <= shape.upper else { return false }
            for offset in 2..<max(2, length) where bytes[index + offset] & 0xC0 != 0x80 {
                return false
            }
            index += length
        }
        return true
    }
}
