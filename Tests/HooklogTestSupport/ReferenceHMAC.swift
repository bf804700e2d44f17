public import HooklogCore

/// HMAC-SHA256 written from RFC 2104 over the plain SHA-256 hasher, so that the tests' verifiers
/// do not share a code path with the production signer's libcrypto `HMAC()` call.
public enum ReferenceHMAC {
    public static func sha256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        let blockSize = 64
        var blockKey = key.count > blockSize ? SHA256Hasher.digest(key).bytes : key
        blockKey += [UInt8](repeating: 0, count: blockSize - blockKey.count)
        let innerPad = blockKey.map { $0 ^ 0x36 }
        let outerPad = blockKey.map { $0 ^ 0x5c }
        let inner = SHA256Hasher.digest(innerPad + message).bytes
        return SHA256Hasher.digest(outerPad + inner).bytes
    }

    public static func sha256(key: String, message: String) -> [UInt8] {
        Self.sha256(key: Array(key.utf8), message: Array(message.utf8))
    }

    /// Lower-case hex, written out here rather than borrowed from the code under test.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] })
    }

    /// Compares every byte whatever the first difference, like Node's `crypto.timingSafeEqual`.
    public static func timingSafeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return zip(lhs, rhs).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
