internal import CCrypto

/// Comparisons whose duration does not depend on where two secrets differ.
public enum ConstantTime {
    /// Whether `lhs` and `rhs` hold the same bytes.
    ///
    /// Lengths are compared first and openly (a length is not secret); equal-length contents
    /// are compared with libcrypto's `CRYPTO_memcmp`, which always reads every byte.
    public static func equals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        guard !lhs.isEmpty else { return true }
        return lhs.withUnsafeBytes { left in
            rhs.withUnsafeBytes { right in
                CRYPTO_memcmp(left.baseAddress, right.baseAddress, left.count) == 0
            }
        }
    }
}
