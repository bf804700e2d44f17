/// Crockford's base 32 in lower case, for the 26-character body of a `PrefixedID`.
///
/// 26 characters hold 130 bits; the top two are always zero, so the first character is `0`…`7`.
/// Only the canonical spelling is accepted (no upper case, no `i`/`l`/`o` aliases), so that one
/// identifier has exactly one text.
enum CrockfordBase32 {
    /// The characters of one 128-bit value.
    static let characterCount = 26

    private static let alphabet: [UInt8] = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)

    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, character) in alphabet.enumerated() {
            table[Int(character)] = UInt8(index)
        }
        return table
    }()

    /// Writes the 26 characters of `value`, most significant first, into `output`'s first 26 bytes.
    static func encode(_ value: UInt128, into output: UnsafeMutableBufferPointer<UInt8>) {
        precondition(output.count >= characterCount, "26 characters need 26 bytes")
        var remaining = value
        // The table fetched once: a static read in the loop costs a check of its lazy start each time.
        Self.alphabet.withUnsafeBufferPointer { alphabet in
            for index in stride(from: characterCount - 1, through: 0, by: -1) {
                output[index] = alphabet[Int(remaining & 0x1F)]
                remaining >>= 5
            }
        }
    }

    /// The value of exactly 26 canonical characters; `nil` for anything else or more than 128 bits.
    static func decode(_ characters: Substring.UTF8View) -> UInt128? {
        guard characters.count == characterCount else { return nil }
        var value: UInt128 = 0
        for (index, character) in characters.enumerated() {
            let digit = values[Int(character)]
            guard digit != 0xFF else { return nil }
            // The first character carries only the top three bits of 128.
            if index == 0, digit > 7 { return nil }
            value = value << 5 | UInt128(digit)
        }
        return value
    }
}
