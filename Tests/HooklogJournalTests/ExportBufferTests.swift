import Foundation
import HooklogCore
@testable import HooklogJournal
import Testing

/// The export's encoders, written in place a piece at a time, against Foundation's.
@Suite("Export buffer encoders")
struct ExportBufferTests {
    @Test func base64AndHexMatchFoundationForEveryTailLength() {
        var random = SystemRandomNumberGenerator()
        for length in 0..<40 {
            let input = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            var buffer = ExportBuffer(capacity: 0)
            buffer.append(raw: Array("x".utf8))
            buffer.append(base64: input)
            #expect(buffer.bytes == Array("x".utf8) + Array(Data(input).base64EncodedString().utf8), "\(length) bytes")
        }
        let digest = SHA256Hasher.digest(Array("hooklog".utf8))
        var buffer = ExportBuffer(capacity: 0)
        buffer.append(hex: digest)
        #expect(String(decoding: buffer.bytes, as: UTF8.self) == digest.withUnsafeBytes { $0.map { String(format: "%02x", $0) }.joined() })
    }

    @Test func csvQuotingDoublesEveryQuoteWhereverItIs() {
        for text in ["", "plain", "\"", "\"\"", "a\"b", "\"start", "end\"", "\"a\"\"b\"", String(repeating: "x\"", count: 40)] {
            var buffer = ExportBuffer(capacity: 0)
            Array(text.utf8).withUnsafeBytes { buffer.append(csvQuoted: $0) }
            let expected = "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            #expect(String(decoding: buffer.bytes, as: UTF8.self) == expected, "\(text)")
        }
    }
}
