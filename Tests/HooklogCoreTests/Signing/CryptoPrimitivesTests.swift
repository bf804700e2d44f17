import Foundation
import HooklogCore
import HooklogTestSupport
import Testing

@Suite("HMAC-SHA256, constant-time comparison, base64, hex")
struct CryptoPrimitivesTests {
    /// RFC 4231 test cases 1, 2, 3, 6 (key longer than a block) and 7.
    static let rfc4231: [(key: [UInt8], data: [UInt8], mac: String)] = [
        (
            Array(repeating: 0x0b, count: 20), Array("Hi There".utf8),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        ),
        (
            Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        ),
        (
            Array(repeating: 0xaa, count: 20), Array(repeating: 0xdd, count: 50),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"
        ),
        (
            Array(repeating: 0xaa, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        ),
        (
            Array(repeating: 0xaa, count: 131),
            Array(
                "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."
                    .utf8),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
        ),
    ]

    @Test(arguments: 0..<5)
    func hmacMatchesRFC4231(index: Int) {
        let vector = Self.rfc4231[index]
        #expect(Hex.encode(HMACSHA256.authenticationCode(key: vector.key, message: vector.data)) == vector.mac)
        #expect(ReferenceHMAC.hex(ReferenceHMAC.sha256(key: vector.key, message: vector.data)) == vector.mac)
    }

    @Test func hmacWithAnEmptyKeyAndMessageIsTheKnownValue() {
        #expect(
            Hex.encode(HMACSHA256.authenticationCode(key: [], message: []))
                == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }

    @Test func constantTimeEqualityComparesContentAndLength() {
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
        #expect(ConstantTime.equals([], []))
    }

    @Test(arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ])
    func base64MatchesRFC4648(plain: String, encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test func base64AgreesWithFoundationOnEveryLengthAndByte() {
        for length in 0..<70 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ length) }
            let encoded = Base64.encode(bytes)
            #expect(encoded == Data(bytes).base64EncodedString())
            #expect(Base64.decode(encoded) == bytes)
        }
    }

    @Test(arguments: ["Zg", "Zm8", "Zm9vYg"])
    func base64DecodesWithoutPadding(encoded: String) {
        #expect(Base64.decode(encoded) != nil)
    }

    @Test(arguments: ["Z", "Zg=", "Zh==", "Zm9v!", "Zm 9v", "===="])
    func base64RefusesMalformedText(encoded: String) {
        #expect(Base64.decode(encoded) == nil)
    }

    @Test func hexRoundTripsAndRefusesOddOrForeignText() {
        #expect(Hex.encode([0x00, 0xab, 0xff]) == "00abff")
        #expect(Hex.decode("00ABff") == [0x00, 0xab, 0xff])
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
    }
}
