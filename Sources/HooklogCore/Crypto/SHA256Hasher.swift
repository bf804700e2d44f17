internal import CCrypto

/// An incremental SHA-256 computation over libcrypto's EVP interface.
///
/// One hasher is reused for many digests (`finalize()` resets it), which avoids a context
/// allocation per record on the journal's hot path. Not thread-safe: one owner at a time.
public final class SHA256Hasher {
    private let context: OpaquePointer

    /// A fresh hasher, ready for `update`.
    public init() {
        guard let context = EVP_MD_CTX_new() else {
            fatalError("libcrypto could not allocate a digest context (out of memory)")
        }
        self.context = context
        self.reset()
    }

    deinit {
        EVP_MD_CTX_free(self.context)
    }

    /// Adds `bytes` to the message.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        let status = EVP_DigestUpdate(self.context, base, bytes.count)
        precondition(status == 1, "EVP_DigestUpdate failed")
    }

    /// Adds `bytes` to the message.
    public func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { self.update($0) }
    }

    /// Adds a digest's 32 bytes to the message.
    public func update(_ digest: SHA256Digest) {
        digest.withUnsafeBytes { self.update($0) }
    }

    /// Adds an integer's eight big-endian bytes to the message.
    public func update(bigEndian value: UInt64) {
        withUnsafeBytes(of: value.bigEndian) { self.update($0) }
    }

    /// Returns the digest of everything added since the last reset, and resets.
    public func finalize() -> SHA256Digest {
        // Written straight into the digest's inline storage: no allocation per record.
        let digest = SHA256Digest { output in
            var length: UInt32 = 0
            let status = EVP_DigestFinal_ex(self.context, output.baseAddress!.assumingMemoryBound(to: UInt8.self), &length)
            precondition(status == 1 && length == UInt32(SHA256Digest.byteCount), "EVP_DigestFinal_ex failed")
        }
        self.reset()
        return digest
    }

    /// The digest of `bytes` alone.
    public static func digest(_ bytes: [UInt8]) -> SHA256Digest {
        let hasher = SHA256Hasher()
        hasher.update(bytes)
        return hasher.finalize()
    }

    private func reset() {
        let status = EVP_DigestInit_ex2(self.context, sha256Algorithm, nil)
        precondition(status == 1, "EVP_DigestInit_ex2 failed")
    }
}

// Fetched once: an explicit fetch avoids libcrypto's implicit per-init provider lookup.
// EVP_MD objects are immutable and documented as safe to share between threads.
nonisolated(unsafe) private let sha256Algorithm: OpaquePointer = {
    guard let algorithm = EVP_MD_fetch(nil, "SHA256", nil) else {
        fatalError("libcrypto has no SHA256 implementation")
    }
    return algorithm
}()
