/// A SHA-256 digest: 32 bytes, stored inline so that it costs no allocation.
public struct SHA256Digest: Hashable, Sendable, CustomStringConvertible {
    /// The byte count of every digest.
    public static let byteCount = 32

    /// The digest of nothing, used as the hash before the first record of a chain.
    public static let zero = SHA256Digest(words: (0, 0, 0, 0))

    // Four big-endian words: byte order is preserved by `withUnsafeBytes`.
    private var words: (UInt64, UInt64, UInt64, UInt64)

    private init(words: (UInt64, UInt64, UInt64, UInt64)) {
        self.words = words
    }

    /// Reads a digest from exactly 32 bytes; `nil` for any other length.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.byteCount else { return nil }
        self.words = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &self.words) { destination in
            _ = destination.initializeMemory(as: UInt8.self, from: bytes)
        }
    }

    /// A digest whose 32 bytes `fill` writes in place.
    init(filling fill: (UnsafeMutableRawBufferPointer) -> Void) {
        self.words = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &self.words) { fill($0) }
    }

    /// Reads a digest from the first 32 bytes of `buffer`, which must hold at least that many.
    public init(copying buffer: UnsafeRawBufferPointer) {
        precondition(buffer.count >= Self.byteCount, "a SHA-256 digest needs 32 bytes")
        self.words = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &self.words) { destination in
            destination.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer.prefix(Self.byteCount)))
        }
    }

    /// Reads a digest from 64 hexadecimal digits; `nil` for anything else.
    public init?(hex: String) {
        guard let bytes = Hex.decode(hex) else { return nil }
        self.init(bytes: bytes)
    }

    /// Calls `body` with the 32 bytes of the digest.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: self.words, body)
    }

    /// The 32 bytes of the digest.
    public var bytes: [UInt8] {
        self.withUnsafeBytes { Array($0) }
    }

    /// Lower-case hexadecimal, 64 characters.
    public var hex: String {
        self.withUnsafeBytes { $0.hexString }
    }

    public var description: String { self.hex }

    public static func == (lhs: SHA256Digest, rhs: SHA256Digest) -> Bool {
        lhs.words == rhs.words
    }

    public func hash(into hasher: inout Hasher) {
        self.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}

extension UnsafeRawBufferPointer {
    /// Lower-case hexadecimal of these bytes.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: self.count * 2) { output in
            for (index, byte) in self.enumerated() {
                output[index * 2] = digits[Int(byte >> 4)]
                output[index * 2 + 1] = digits[Int(byte & 0x0F)]
            }
            return self.count * 2
        }
    }
}
