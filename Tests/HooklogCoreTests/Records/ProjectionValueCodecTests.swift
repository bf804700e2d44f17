@testable import HooklogCore
import HooklogTestSupport
import Testing

@Suite("Projection values and keys")
struct ProjectionValueCodecTests {
    static let tenant = RecordSamples.tenant
    static let endpoint = RecordSamples.endpoint

    @Test func everyValueRoundTripsAndRejectsOtherVersionsAndTruncation() throws {
        let attempt = AttemptSummary(
            number: 2, startedAtMs: 10, startedSequence: 98, replayId: RecordSamples.replay, finishedAtMs: 20, statusCode: 503,
            errorKind: nil, latencyMs: 10, finishedSequence: 99
        )
        try Self.check(TenantState(name: RecordSamples.unicode, apiKeyHash: RecordSamples.digest, defaultSigningSecret: "whsec_x", inlineProfile: "callingbox", createdAtMs: 1), TenantState.init(decoding:), version: TenantState.valueVersion)
        try Self.check(
            TenantState(
                name: "t", apiKeyHash: RecordSamples.digest, defaultSigningSecret: "whsec_x",
                previousSigningSecrets: [PreviousSecret(secret: "whsec_y", validUntilMs: .max), PreviousSecret(secret: "whsec_z", validUntilMs: 2)], inlineProfile: "standard", createdAtMs: 1
            ),
            TenantState.init(decoding:),
            version: TenantState.valueVersion
        )
        try Self.check(
            EndpointState(
                tenantId: Self.tenant, url: "https://x", description: "", enabledEvents: ["*"], profile: "standard",
                signingSecret: "whsec_a", previousSecrets: [PreviousSecret(secret: "whsec_b", validUntilMs: 5), PreviousSecret(secret: "whsec_c", validUntilMs: 4)], bearerToken: "t",
                metadata: [1, 2], status: .disabled(reason: .failingTooLong, atMs: 7), createdAtMs: 1, createdSequence: 9, updatedAtMs: 2,
                lastSuccessAtMs: 3, failingSinceMs: 4, lastFailureAtMs: 5
            ),
            EndpointState.init(decoding:),
            version: EndpointState.valueVersion
        )
        try Self.check(
            DeliveryState(
                tenantId: Self.tenant, eventId: RecordSamples.event, target: .inline(url: "https://i"), status: .retrying,
                plannedAtMs: 1, plannedSequence: 2, attempts: [attempt, AttemptSummary(number: 3, startedAtMs: 30, startedSequence: 100)],
                nextAttemptAtMs: 40, replayId: RecordSamples.replay, finishedAtMs: nil, failureReason: .notRetryable, cancelReason: .byUser,
                reopenedAfterAttemptCount: 1
            ),
            DeliveryState.init(decoding:),
            version: DeliveryState.valueVersion
        )
        try Self.check(EventIndexEntry(tenantId: Self.tenant, sequence: 5, type: "call.completed", receivedAtMs: 6, occurredAtMs: 7, callId: "c"), EventIndexEntry.init(decoding:))
        try Self.check(IdempotencyEntry(.event(RecordSamples.event), sequence: .max), IdempotencyEntry.init(decoding:), version: IdempotencyEntry.valueVersion)
        try Self.check(IdempotencyEntry(.replay, sequence: 3), IdempotencyEntry.init(decoding:), version: IdempotencyEntry.valueVersion)
        try Self.check(IdempotencyEntry(.endpoint(RecordSamples.endpoint), sequence: 0), IdempotencyEntry.init(decoding:), version: IdempotencyEntry.valueVersion)
        try Self.check(IdempotencyEntry(.retry(RecordSamples.delivery), sequence: 7), IdempotencyEntry.init(decoding:), version: IdempotencyEntry.valueVersion)
        try Self.check(IdempotencyEntry(.tenant(RecordSamples.tenant), sequence: 8), IdempotencyEntry.init(decoding:), version: IdempotencyEntry.valueVersion)
        try Self.check(
            ReplayState(
                tenantId: Self.tenant, sinceMs: 1, untilMs: 2, endpointId: Self.endpoint, statusFilter: .all, eventTypes: ["a"],
                requestedAtMs: 3, scheduledCount: 10, succeededCount: 4, failedCount: 3, cancelledCount: 2
            ),
            ReplayState.init(decoding:)
        )
        try Self.check(
            InvocationState(
                tenantId: Self.tenant, endpointId: nil, url: "https://m", callId: nil, budgetMs: 2_500, startedAtMs: 1, startedSequence: 2,
                result: InvocationResult(finishedAtMs: 3, statusCode: 200, latencyMs: 2, errorKind: nil, finishedSequence: 4)
            ),
            InvocationState.init(decoding:)
        )
    }

    /// An export learns whose most records are from the front of a stored row, undecoded.
    @Test func theTenantOfAStoredRowIsReadFromItsFront() throws {
        let endpoint = EndpointState(
            tenantId: Self.tenant, url: "https://x", description: "", enabledEvents: ["*"], profile: "standard",
            signingSecret: "whsec_a", createdAtMs: 1, createdSequence: 2, updatedAtMs: 3
        )
        let delivery = DeliveryState(
            tenantId: Self.tenant, eventId: RecordSamples.event, target: .endpoint(Self.endpoint), status: .pending, plannedAtMs: 1, plannedSequence: 2
        )
        let invocation = InvocationState(tenantId: Self.tenant, endpointId: nil, url: "https://m", callId: nil, budgetMs: 1, startedAtMs: 1, startedSequence: 2)
        #expect(try endpoint.encode().withUnsafeBytes { try EndpointState.tenantId(inStored: $0) } == Self.tenant)
        #expect(try delivery.encode().withUnsafeBytes { try DeliveryState.tenantId(inStored: $0) } == Self.tenant)
        #expect(try invocation.encode().withUnsafeBytes { try InvocationState.tenantId(inStored: $0) } == Self.tenant)
        #expect(throws: RecordDecodingError.unsupportedVersion) {
            try ([DeliveryState.valueVersion + 1] + Self.tenant.bytes).withUnsafeBytes { try DeliveryState.tenantId(inStored: $0) }
        }
        #expect(throws: RecordDecodingError.truncated) { try [DeliveryState.valueVersion, 1, 2].withUnsafeBytes { try DeliveryState.tenantId(inStored: $0) } }
    }

    @Test func replayClaimingMoreFinishedThanScheduledIsRejectedEvenAtOverflow() {
        var writer = BinaryWriter()
        writer.writeByte(ReplayState.valueVersion)
        writer.writeID(Self.tenant)
        writer.writeVarint(UInt64(1))
        writer.writeVarint(UInt64(2))
        writer.writeOptionalID(EndpointID?.none)
        writer.writeTag(ReplayStatusFilter.all)
        writer.writeOptionalStrings(nil)
        writer.writeVarint(UInt64(3))
        for count in [UInt64(5), .max, .max, 2] {  // scheduled, succeeded, failed, cancelled
            writer.writeVarint(count)
        }
        #expect(throws: RecordDecodingError.invalidValue) { try ReplayState(decoding: writer.bytes) }
    }

    @Test func dueKeysSortByLaneThenTimeThenDeliveryAndComeApart() throws {
        let early = ProjectionKeys.due(.live, dueAtMs: 255, deliveryId: DeliveryID(rawValue: .max))
        let late = ProjectionKeys.due(.live, dueAtMs: 256, deliveryId: DeliveryID(rawValue: 0))
        let replayed = ProjectionKeys.due(.replay, dueAtMs: 0, deliveryId: DeliveryID(rawValue: 0))
        #expect(early.count == 25 && ProjectionKeys.keyByteCount(of: .due) == 25)
        #expect(early.lexicographicallyPrecedes(late) && late.lexicographicallyPrecedes(replayed))
        let parsed = try #require(ProjectionKeys.parseDue(late))
        #expect(parsed.lane == .live && parsed.dueAtMs == 256 && parsed.deliveryId == DeliveryID(rawValue: 0))
        #expect(ProjectionKeys.parseDue(replayed)?.lane == .replay)
        #expect(ProjectionKeys.parseDue([1, 2, 3]) == nil)
        #expect(ProjectionKeys.parseDue([2] + late.dropFirst()) == nil, "no lane 2")
    }

    @Test func plannedDeliveryKeysSortByTimeThenSequenceAndComeApart() throws {
        let early = ProjectionKeys.tenantDelivery(tenantId: Self.tenant, plannedAtMs: 5, plannedSequence: 9, deliveryId: DeliveryID(rawValue: .max))
        let later = ProjectionKeys.tenantDelivery(tenantId: Self.tenant, plannedAtMs: 5, plannedSequence: 10, deliveryId: DeliveryID(rawValue: 0))
        #expect(early.count == 48 && early.lexicographicallyPrecedes(later), "within a millisecond, the sequence orders")
        let parsed = try #require(ProjectionKeys.parsePlannedDelivery(later))
        #expect(parsed.plannedAtMs == 5 && parsed.plannedSequence == 10 && parsed.deliveryId == DeliveryID(rawValue: 0))
        let byEndpoint = ProjectionKeys.endpointDelivery(endpointId: Self.endpoint, plannedAtMs: 6, plannedSequence: 11, deliveryId: DeliveryID(rawValue: 3))
        #expect(ProjectionKeys.parsePlannedDelivery(byEndpoint)?.deliveryId == DeliveryID(rawValue: 3))
        #expect(ProjectionKeys.parsePlannedDelivery(early.dropLast()) == nil)
    }

    @Test func everyFixedKeyLengthIsTheLengthOfTheKeysBuilt() {
        let delivery = DeliveryID(rawValue: 7)
        let built: [(ProjectionTable, [UInt8])] = [
            (.tenants, ProjectionKeys.tenant(Self.tenant)),
            (.apiKeys, ProjectionKeys.apiKey(RecordSamples.digest)),
            (.endpoints, ProjectionKeys.endpoint(Self.endpoint)),
            (.tenantEndpoints, ProjectionKeys.tenantEndpoint(tenantId: Self.tenant, createdSequence: 1, endpointId: Self.endpoint)),
            (.events, ProjectionKeys.event(RecordSamples.event)),
            (.eventTimes, ProjectionKeys.eventTime(tenantId: Self.tenant, receivedAtMs: 1, sequence: 2, eventId: RecordSamples.event)),
            (.eventDeliveries, ProjectionKeys.eventDelivery(eventId: RecordSamples.event, plannedSequence: 1, deliveryId: delivery)),
            (.idempotency, ProjectionKeys.idempotency(IdempotencyEntry.Key(tenantId: Self.tenant, idempotencyKey: "k"))),
            (.deliveries, ProjectionKeys.delivery(delivery)),
            (.tenantDeliveries, ProjectionKeys.tenantDelivery(tenantId: Self.tenant, plannedAtMs: 1, plannedSequence: 2, deliveryId: delivery)),
            (.endpointDeliveries, ProjectionKeys.endpointDelivery(endpointId: Self.endpoint, plannedAtMs: 1, plannedSequence: 2, deliveryId: delivery)),
            (.due, ProjectionKeys.due(.live, dueAtMs: 1, deliveryId: delivery)),
            (.inFlight, ProjectionKeys.inFlight(delivery)),
            (.replays, ProjectionKeys.replay(RecordSamples.replay)),
        ]
        for (table, key) in built {
            #expect(ProjectionKeys.keyByteCount(of: table) == key.count, "\(table)")
        }
        #expect(ProjectionKeys.keyByteCount(of: .targetDue) == nil, "a target's key is as long as its URL")
    }

    @Test func eventTimeKeysGroupByTenantAndSortByReceipt() throws {
        let key = ProjectionKeys.eventTime(tenantId: Self.tenant, receivedAtMs: 1_000, sequence: 7, eventId: RecordSamples.event)
        let start = ProjectionKeys.eventTimesStart(tenantId: Self.tenant, sinceMs: 1_000)
        let after = ProjectionKeys.eventTimesStart(tenantId: Self.tenant, sinceMs: 1_001)
        #expect(start.lexicographicallyPrecedes(key) && key.lexicographicallyPrecedes(after))
        let parsed = try #require(ProjectionKeys.parseEventTime(key))
        #expect(parsed.tenantId == Self.tenant && parsed.receivedAtMs == 1_000 && parsed.sequence == 7 && parsed.eventId == RecordSamples.event)
        #expect(ProjectionKeys.trailingID(of: key, as: EventID.self) == RecordSamples.event)
    }

    @Test func idempotencyKeysAreFixedLengthAndPerTenant() {
        let long = String(repeating: "k", count: 10_000)
        #expect(ProjectionKeys.idempotency(IdempotencyEntry.Key(tenantId: Self.tenant, idempotencyKey: long)).count == 48)
        #expect(ProjectionKeys.idempotency(IdempotencyEntry.Key(tenantId: Self.tenant, idempotencyKey: "a")) != ProjectionKeys.idempotency(IdempotencyEntry.Key(tenantId: TenantID(rawValue: 2), idempotencyKey: "a")))
    }

    private static func check<Value: Equatable>(
        _ value: Value,
        _ decode: ([UInt8]) throws(RecordDecodingError) -> Value,
        version: UInt8 = 1,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let bytes = (value as! any BinaryCodable).framed(version: version)
        #expect(bytes[0] == version, sourceLocation: sourceLocation)
        #expect(try decode(bytes) == value, sourceLocation: sourceLocation)
        var other = bytes
        other[0] = version &+ 1
        #expect(throws: RecordDecodingError.unsupportedVersion, sourceLocation: sourceLocation) { try decode(other) }
        for length in 0..<bytes.count {
            #expect(throws: RecordDecodingError.truncated, sourceLocation: sourceLocation) { try decode(Array(bytes.prefix(length))) }
        }
        #expect(throws: RecordDecodingError.trailingBytes, sourceLocation: sourceLocation) { try decode(bytes + [0]) }
        // Damaged bytes never crash, and what still decodes is a value in its one spelling.
        var generator = SeededGenerator(seed: UInt64(bytes.count))
        for _ in 0..<500 {
            var damaged = bytes
            damaged[Int.random(in: 1..<damaged.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            if let decoded = try? decode(damaged) {
                #expect((decoded as! any BinaryCodable).framed(version: version) == damaged, sourceLocation: sourceLocation)
            }
        }
    }
}

extension BinaryCodable {
    /// The value framed with `version` (1 for every projection value but `EndpointState`).
    fileprivate func framed(version: UInt8) -> [UInt8] { BinaryFraming.encode(self, version: version) }
}
