/// An identifier such as `evt_01jv8m2k3q4r5s6t7v8w9x0y1z`: a kind prefix, an underscore and a
/// 128-bit value in 26 characters of lower-case Crockford base 32.
///
/// The value is ULID-like: its top 48 bits are the milliseconds since 1970 at which it was made,
/// the other 80 are random, so ids sort (as text and as bytes) roughly by creation time. Core has
/// no clock and no randomness: both come in as parameters of `generate(timeMs:using:)`.
public struct PrefixedID<Kind: IDKind>: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The length of the binary form used inside projection keys.
    public static var byteCount: Int { 16 }

    /// The largest time an id can carry: 2^48 - 1 ms, in the year 10889.
    public static var maxTimeMs: UInt64 { (1 << 48) - 1 }

    /// The 128-bit value: 48 bits of milliseconds, then 80 random bits.
    public let rawValue: UInt128

    /// The id with exactly this value.
    public init(rawValue: UInt128) {
        self.rawValue = rawValue
    }

    /// A new id made at `timeMs`, with 80 random bits from `generator`.
    ///
    /// Inlinable, so that callers in other modules get it specialized for their generator instead
    /// of calling it through the generic witness table.
    @inlinable
    public static func generate(timeMs: UInt64, using generator: inout some RandomNumberGenerator) -> Self {
        precondition(timeMs <= maxTimeMs, "an identifier holds 48 bits of milliseconds")
        let high = generator.next() & 0xFFFF   // 16 random bits below the time
        let low = generator.next()              // 64 more
        let value = UInt128(timeMs) << 80 | UInt128(high) << 64 | UInt128(low)
        return Self(rawValue: value)
    }

    /// Reads an id from its text: this kind's prefix, `_`, 26 canonical characters; `nil` otherwise.
    public static func parse(_ string: some StringProtocol) -> Self? {
        let utf8 = Substring(string).utf8
        let prefix = Kind.prefix.utf8
        guard utf8.count == prefix.count + 1 + CrockfordBase32.characterCount,
            utf8.starts(with: prefix)
        else { return nil }
        let underscore = utf8.index(utf8.startIndex, offsetBy: prefix.count)
        guard utf8[underscore] == UInt8(ascii: "_") else { return nil }
        guard let value = CrockfordBase32.decode(utf8[utf8.index(after: underscore)...]) else { return nil }
        return Self(rawValue: value)
    }

    /// Reads an id from its 16-byte big-endian binary form; `nil` for any other length.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.byteCount else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, byte) in bytes.enumerated() {
            if index < 8 {
                high = high << 8 | UInt64(byte)
            } else {
                low = low << 8 | UInt64(byte)
            }
        }
        self.rawValue = UInt128(high) << 64 | UInt128(low)
    }

    /// The milliseconds since 1970 at which the id was made.
    public var timeMs: UInt64 {
        UInt64(truncatingIfNeeded: self.rawValue >> 80)
    }

    /// The 16-byte big-endian binary form: sorts like the text.
    public var bytes: [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(Self.byteCount)
        self.append(to: &output)
        return output
    }

    /// Appends the 16-byte binary form to `output`.
    public func append(to output: inout [UInt8]) {
        let halves = (UInt64(truncatingIfNeeded: self.rawValue >> 64).bigEndian, UInt64(truncatingIfNeeded: self.rawValue).bigEndian)
        withUnsafeBytes(of: halves) { output.append(contentsOf: $0) }
    }

    /// The text form, e.g. `evt_01jv8m2k3q4r5s6t7v8w9x0y1z`.
    public var description: String {
        // Written in place: one allocation, where joining the prefix to the encoded text made two.
        let prefix = Kind.prefix.utf8
        return String(unsafeUninitializedCapacity: prefix.count + 1 + CrockfordBase32.characterCount) { output in
            var count = 0
            for byte in prefix {
                output[count] = byte
                count += 1
            }
            output[count] = UInt8(ascii: "_")
            count += 1
            CrockfordBase32.encode(self.rawValue, into: UnsafeMutableBufferPointer(rebasing: output[count...]))
            return count + CrockfordBase32.characterCount
        }
    }

    /// Ids order by value, which is the order of their texts and of their binary forms.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
