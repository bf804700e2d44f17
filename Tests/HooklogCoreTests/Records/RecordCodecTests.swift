@testable import HooklogCore
import HooklogTestSupport
import Testing

@Suite("Record codec")
struct RecordCodecTests {
    @Test func samplesCoverEveryRecordKind() {
        #expect(Set(RecordSamples.all.map(\.kind)) == Set(RecordKind.allCases))
    }

    @Test func aKindIsPeekedOnlyFromBytesThisBuildReads() {
        for bytes: [UInt8] in [[], [Record.codecVersion], [0xEE, RecordKind.eventReceived.rawValue], [Record.codecVersion, 0xEE]] {
            #expect(bytes.withUnsafeBytes { Record.kind(inEncoded: $0) } == nil, "\(bytes)")
        }
    }

    @Test(arguments: RecordSamples.all)
    func everyRecordRoundTrips(_ record: Record) throws {
        let bytes = record.encode()
        #expect(bytes[0] == Record.codecVersion)
        #expect(bytes[1] == record.kind.rawValue)
        #expect(bytes.withUnsafeBytes { Record.kind(inEncoded: $0) } == record.kind, "peeked without decoding")
        #expect(try Record(decoding: bytes) == record)
        // The same bytes read from a raw buffer and from a non-contiguous collection.
        #expect(try bytes.withUnsafeBytes { buffer throws in try Record(decoding: buffer) } == record)
        #expect(try Record(decoding: AnyCollection(bytes)) == record)
        // One record, one spelling.
        #expect(try Record(decoding: bytes).encode() == bytes)
    }

    @Test func codecVersionOneIsStillReadEndpointRecordsWithoutTheirTenantAndTenantsWithTheStandardInlineProfile() throws {
        // Version 1 bytes of an endpoint record: the endpoint right after the kind, no tenant.
        let deleted: [UInt8] = [1, RecordKind.endpointDeleted.rawValue] + RecordSamples.endpoint.bytes + [0x80, 0x01]
        #expect(try Record(decoding: deleted) == .endpointDeleted(EndpointDeleted(tenantId: nil, endpointId: RecordSamples.endpoint, deletedAtMs: 128)))
        let disabled: [UInt8] = [1, RecordKind.endpointDisabled.rawValue] + RecordSamples.endpoint.bytes + [EndpointDisabledReason.gone.rawValue, 0x05]
        #expect(try Record(decoding: disabled) == .endpointDisabled(EndpointDisabled(tenantId: nil, endpointId: RecordSamples.endpoint, reason: .gone, disabledAtMs: 5)))
        // Version 1 bytes of a tenant: no inline profile between the secret and the time.
        var tenant = BinaryWriter()
        tenant.writeByte(1)
        tenant.writeTag(RecordKind.tenantCreated)
        tenant.writeID(RecordSamples.tenant)
        tenant.writeString("Callina")
        tenant.writeDigest(RecordSamples.digest)
        tenant.writeString("whsec_x")
        tenant.writeVarint(UInt64(7))
        #expect(try Record(decoding: tenant.bytes) == .tenantCreated(TenantCreated(
            tenantId: RecordSamples.tenant, name: "Callina", apiKeyHash: RecordSamples.digest, defaultSigningSecret: "whsec_x", inlineProfile: "standard", createdAtMs: 7
        )))
        // The other kinds did not change: their version 1 bytes are their version 4 bytes.
        let changed: Set<RecordKind> = [
            .tenantCreated, .endpointCreated, .endpointUpdated, .endpointSecretRotated, .endpointDisabled, .endpointEnabled, .endpointDeleted,
            .deliveryRetryScheduled,
        ]
        for record in RecordSamples.all where !changed.contains(record.kind) {
            var bytes = record.encode()
            bytes[0] = 1
            #expect(try Record(decoding: bytes) == record)
        }
    }

    @Test func codecVersionsOneAndTwoAreStillReadEndpointCreationsWithoutAnIdempotencyKey() throws {
        let record = EndpointCreated(
            endpointId: RecordSamples.endpoint, tenantId: RecordSamples.tenant, url: "https://example.com/hook", description: "CRM",
            enabledEvents: ["*"], profile: "standard", signingSecret: "whsec_x", bearerToken: nil, metadata: nil, createdAtMs: 9
        )
        // Version 3 ends with the key's presence byte; the versions before it end at the time.
        let current = Record.endpointCreated(record).encode()
        #expect(current.last == 0)
        for version: UInt8 in [1, 2] {
            let old = [version] + current.dropFirst().dropLast()
            #expect(try Record(decoding: old) == .endpointCreated(record))
            #expect(throws: RecordDecodingError.self) { try Record(decoding: [version] + current.dropFirst()) }
        }
        // Every other kind's version 2 bytes but a retry's and a tenant's are its version 4 bytes.
        for sample in RecordSamples.all where ![.endpointCreated, .deliveryRetryScheduled, .tenantCreated].contains(sample.kind) {
            var bytes = sample.encode()
            bytes[0] = 2
            #expect(try Record(decoding: bytes) == sample)
        }
    }

    @Test func codecVersionsOneToThreeAreStillReadRetriesAndTenantsWithoutAnIdempotencyKey() throws {
        // Version 4 ends with the key's presence byte; the versions before it end at the replay.
        for record in [
            DeliveryRetryScheduled(deliveryId: RecordSamples.delivery, dueAtMs: 5_000),
            DeliveryRetryScheduled(deliveryId: RecordSamples.delivery, dueAtMs: .max, replayId: RecordSamples.replay),
        ] {
            let current = Record.deliveryRetryScheduled(record).encode()
            #expect(current.last == 0)
            for version: UInt8 in [1, 2, 3] {
                let old = [version] + current.dropFirst().dropLast()
                #expect(try Record(decoding: old) == .deliveryRetryScheduled(record))
                #expect(throws: RecordDecodingError.self) { try Record(decoding: [version] + current.dropFirst()) }
            }
        }
        // A tenant's version 2 and 3 bytes (version 1 had no inline profile) end at the time.
        let tenant = TenantCreated(tenantId: RecordSamples.tenant, name: "Callina", apiKeyHash: RecordSamples.digest, defaultSigningSecret: "whsec_x", createdAtMs: 7)
        let current = Record.tenantCreated(tenant).encode()
        #expect(current.last == 0)
        for version: UInt8 in [2, 3] {
            #expect(try Record(decoding: [version] + current.dropFirst().dropLast()) == .tenantCreated(tenant))
            #expect(throws: RecordDecodingError.self) { try Record(decoding: [version] + current.dropFirst()) }
        }
        // Every other kind's version 3 bytes are its version 4 bytes.
        for sample in RecordSamples.all where sample.kind != .deliveryRetryScheduled && sample.kind != .tenantCreated {
            var bytes = sample.encode()
            bytes[0] = 3
            #expect(try Record(decoding: bytes) == sample)
        }
    }

    @Test func eventKeepsItsRawBodyVerbatimWhateverItHolds() throws {
        var generator = SeededGenerator(seed: 11)
        for count in [0, 1, 127, 128, 16_383, 16_384, 1 << 20] {
            let body = generator.bytes(count)
            let record = Record.eventReceived(EventReceived(
                tenantId: RecordSamples.tenant, eventId: RecordSamples.event, type: "call.completed", rawBody: body, receivedAtMs: 1
            ))
            guard case .eventReceived(let decoded) = try Record(decoding: record.encode()) else {
                Issue.record("decoded another kind")
                return
            }
            #expect(decoded.rawBody == body)
        }
    }

    @Test func encodingIsCompact() {
        let started = Record.attemptStarted(AttemptStarted(deliveryId: RecordSamples.delivery, attemptNumber: 1, startedAtMs: 1_747_000_000_000))
        // version + tag + id(16) + attempt(1) + time(6) + absent replay(1)
        #expect(started.encode().count == 2 + 16 + 1 + 6 + 1)
    }

    @Test func responseExcerptIsCutToOneKibibyte() {
        let finished = AttemptFinished(
            deliveryId: RecordSamples.delivery, attemptNumber: 1, finishedAtMs: 1, statusCode: 500, latencyMs: 1,
            errorKind: nil, responseExcerpt: [UInt8](repeating: 1, count: 5_000)
        )
        #expect(finished.responseExcerpt.count == 1_024)
    }

    @Test func attemptOutcomeSaysWhetherTheEndpointFailed() {
        func finished(_ status: UInt16?, _ error: AttemptErrorKind?) -> AttemptFinished {
            AttemptFinished(deliveryId: RecordSamples.delivery, attemptNumber: 1, finishedAtMs: 1, statusCode: status, latencyMs: 1, errorKind: error)
        }
        #expect(finished(200, nil).isSuccess)
        #expect(finished(299, nil).isSuccess)
        #expect(!finished(300, nil).isSuccess)
        #expect(finished(410, nil).countsAsEndpointFailure)
        #expect(finished(nil, .timeout).countsAsEndpointFailure)
        #expect(!finished(nil, .interrupted).countsAsEndpointFailure)
    }
}
