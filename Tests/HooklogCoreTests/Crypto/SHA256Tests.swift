import HooklogCore
import Testing

@Suite("SHA-256")
struct SHA256Tests {
    // FIPS 180-2 examples.
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
    ])
    func digestMatchesTheStandardsVectors(message: String, expectedHex: String) {
        #expect(SHA256Hasher.digest(Array(message.utf8)).hex == expectedHex)
    }

    @Test func incrementalUpdatesEqualOneShot() {
        let message = Array("The quick brown fox jumps over the lazy dog".utf8)
        let hasher = SHA256Hasher()
        message.withUnsafeBytes { bytes in
            hasher.update(UnsafeRawBufferPointer(rebasing: bytes[0..<10]))
            hasher.update(UnsafeRawBufferPointer(rebasing: bytes[10...]))
        }
        #expect(hasher.finalize() == SHA256Hasher.digest(message))
        // finalize resets: the hasher is reusable.
        hasher.update(message)
        #expect(hasher.finalize().hex == "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592")
    }

    @Test func digestRoundTripsThroughHexAndBytes() throws {
        let digest = SHA256Hasher.digest(Array("hooklog".utf8))
        #expect(SHA256Digest(hex: digest.hex) == digest)
        #expect(SHA256Digest(hex: digest.hex.uppercased()) == digest)
        #expect(SHA256Digest(bytes: digest.bytes) == digest)
        #expect(SHA256Digest(hex: "zz") == nil)
        #expect(SHA256Digest(bytes: [1, 2, 3]) == nil)
        #expect(SHA256Digest.zero.bytes == [UInt8](repeating: 0, count: 32))
    }
}
