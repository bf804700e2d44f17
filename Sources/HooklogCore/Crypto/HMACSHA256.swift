internal import CCrypto

/// HMAC-SHA256 (RFC 2104) over libcrypto's one-shot `HMAC()`.
public enum HMACSHA256 {
    /// The byte count of every authentication code.
    public static let byteCount = 32

    /// The 32-byte authentication code of `message` under `key`.
    public static func authenticationCode(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Self.byteCount)
        var length: UInt32 = 0
        // libcrypto reads `key_len` bytes from `key`; an empty key still needs a valid pointer.
        let keyBytes = key.isEmpty ? [0] : key
        let keyLength = Int32(key.count)
        let result = keyBytes.withUnsafeBytes { keyBuffer in
            message.withUnsafeBufferPointer { messageBuffer in
                output.withUnsafeMutableBufferPointer { outputBuffer in
                    HMAC(
                        EVP_sha256(),
                        keyBuffer.baseAddress, keyLength,
                        messageBuffer.baseAddress, messageBuffer.count,
                        outputBuffer.baseAddress, &length
                    )
                }
            }
        }
        precondition(result != nil && length == UInt32(Self.byteCount), "libcrypto HMAC-SHA256 failed")
        return output
    }

    /// The authentication code of a UTF-8 `message` under a UTF-8 `key`.
    public static func authenticationCode(key: String, message: String) -> [UInt8] {
        Self.authenticationCode(key: Array(key.utf8), message: Array(message.utf8))
    }
}
