@testable import HooklogCore
import HooklogTestSupport
import Testing

@Suite("Record codec rejects bad bytes")
struct RecordCodecRejectionTests {
    @Test(arguments: RecordSamples.all)
    func everyTruncationThrowsTruncated(_ record: Record) {
        let bytes = record.encode()
        bytes.withUnsafeBytes { buffer in
            for length in 0..<buffer.count {
                let prefix = UnsafeRawBufferPointer(rebasing: buffer[0..<length])
                #expect(throws: RecordDecodingError.truncated, "at length \(length) of \(bytes.count)") {
                    try Record(decoding: prefix)
                }
            }
        }
    }

    @Test(arguments: [0, 5, 6, 0x7F, 0xFF] as [UInt8])
    func unknownCodecVersionIsRejected(_ version: UInt8) {
        var bytes = RecordSamples.all[0].encode()
        bytes[0] = version
        #expect(throws: RecordDecodingError.unsupportedVersion) { try Record(decoding: bytes) }
    }

    @Test func unknownKindTagIsRejected() {
        let known = Set(RecordKind.allCases.map(\.rawValue))
        for tag in UInt8.min...UInt8.max where !known.contains(tag) {
            #expect(throws: RecordDecodingError.unknownKind) { try Record(decoding: [Record.codecVersion, tag, 0, 0, 0]) }
        }
    }

    @Test(arguments: RecordSamples.all)
    func trailingBytesAreRejected(_ record: Record) {
        #expect(throws: RecordDecodingError.trailingBytes) { try Record(decoding: record.encode() + [0]) }
    }

    @Test func invalidUTF8InAStringIsRejected() {
        let record = Record.tenantCreated(TenantCreated(tenantId: RecordSamples.tenant, name: "ab", apiKeyHash: .zero, defaultSigningSecret: "", createdAtMs: 0))
        var bytes = record.encode()
        let nameStart = 2 + 16 + 1
        bytes[nameStart] = 0xC3  // a lead byte followed by an ASCII byte
        #expect(throws: RecordDecodingError.invalidUTF8) { try Record(decoding: bytes) }
    }

    @Test func lengthBeyondTheBufferIsRejectedBeforeAnyAllocation() {
        // An event whose body claims 2^62 bytes.
        var writer = BinaryWriter()
        writer.writeByte(Record.codecVersion)
        writer.writeTag(RecordKind.eventReceived)
        writer.writeID(RecordSamples.tenant)
        writer.writeID(RecordSamples.event)
        writer.writeString("t")
        writer.writeVarint(UInt64(1) << 62)
        #expect(throws: RecordDecodingError.truncated) { try Record(decoding: writer.bytes) }
    }

    @Test func hugeArrayCountIsRejectedBeforeAnyAllocation() {
        var writer = BinaryWriter()
        writer.writeByte(Record.codecVersion)
        writer.writeTag(RecordKind.endpointCreated)
        writer.writeID(RecordSamples.endpoint)
        writer.writeID(RecordSamples.tenant)
        writer.writeString("u")
        writer.writeString("d")
        writer.writeVarint(UInt64.max)
        #expect(throws: RecordDecodingError.truncated) { try Record(decoding: writer.bytes) }
    }

    @Test func varintsMustBeMinimalAndFitSixtyFourBits() throws {
        // No tenant (the presence byte 0), then the endpoint.
        let header: [UInt8] = [Record.codecVersion, RecordKind.endpointEnabled.rawValue, 0] + RecordSamples.endpoint.bytes
        #expect(try Record(decoding: header + [0x05]) == .endpointEnabled(EndpointEnabled(tenantId: nil, endpointId: RecordSamples.endpoint, enabledAtMs: 5)))
        #expect(throws: RecordDecodingError.invalidValue) { try Record(decoding: header + [0x85, 0x00]) }
        #expect(throws: RecordDecodingError.invalidValue) { try Record(decoding: header + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02]) }
        #expect(try Record(decoding: header + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
            == .endpointEnabled(EndpointEnabled(tenantId: nil, endpointId: RecordSamples.endpoint, enabledAtMs: .max)))
    }

    @Test func presenceAndEnumBytesMustBeKnownValues() {
        let started = Record.attemptStarted(AttemptStarted(deliveryId: RecordSamples.delivery, attemptNumber: 1, startedAtMs: 1))
        var bytes = started.encode()
        bytes[bytes.count - 1] = 2  // the replay's presence byte
        #expect(throws: RecordDecodingError.invalidValue) { try Record(decoding: bytes) }

        let disabled = Record.endpointDisabled(EndpointDisabled(tenantId: RecordSamples.tenant, endpointId: RecordSamples.endpoint, reason: .gone, disabledAtMs: 1))
        var disabledBytes = disabled.encode()
        disabledBytes[2 + 17 + 16] = 0x7F  // the reason's tag, after the tenant and the endpoint
        #expect(throws: RecordDecodingError.invalidValue) { try Record(decoding: disabledBytes) }
    }

    @Test func responseExcerptLongerThanOneKibibyteIsRejected() {
        var writer = BinaryWriter()
        writer.writeByte(Record.codecVersion)
        writer.writeTag(RecordKind.attemptFinished)
        writer.writeID(RecordSamples.delivery)
        writer.writeVarint(UInt64(1))
        writer.writeVarint(UInt64(1))
        writer.writeOptionalVarint16(500)
        writer.writeVarint(UInt64(1))
        writer.writeOptionalTag(AttemptErrorKind?.none)
        writer.writeBytes([UInt8](repeating: 0, count: 1_025))
        #expect(throws: RecordDecodingError.invalidValue) { try Record(decoding: writer.bytes) }
    }

    @Test func randomlyDamagedBytesNeverCrashAndWhatDecodesReencodesIdentically() {
        var generator = SeededGenerator(seed: 2024)
        let samples = RecordSamples.all.map { $0.encode() }
        var accepted = 0
        for round in 0..<20_000 {
            var bytes = samples[round % samples.count]
            switch round % 4 {
            case 0:  // flip a few bytes
                for _ in 0..<Int.random(in: 1...3, using: &generator) {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
            case 1:  // cut somewhere and append noise
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &generator))) + generator.bytes(Int.random(in: 0...8, using: &generator))
            case 2:  // a valid header and noise
                bytes = Array(bytes.prefix(2)) + generator.bytes(Int.random(in: 0...64, using: &generator))
            default:  // flip one byte of the header or the first field
                let index = Int.random(in: 0..<min(bytes.count, 20), using: &generator)
                bytes[index] ^= 1 << UInt8.random(in: 0...7, using: &generator)
            }
            if let record = try? Record(decoding: bytes) {
                accepted += 1
                if bytes[0] == Record.codecVersion {
                    #expect(record.encode() == bytes, "round \(round)")
                } else {
                    // Read as an older version: written again in the newest, the same record.
                    #expect((try? Record(decoding: record.encode())) == record, "round \(round)")
                }
            }
        }
        #expect(accepted > 0)
    }
}
