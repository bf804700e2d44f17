import HooklogCore

/// Records as a busy Hooklog journals them, for benchmarks and crash tests: each event fans out
/// to every endpoint; most deliveries succeed at once, one in ten after a 503 and a retry.
/// Bodies are call payloads of 200 to 1,600 bytes with quotes and newlines to escape.
struct SeedWorkload {
    let tenantId: TenantID
    let endpointIds: [EndpointID]
    private var random: SplitMix64
    private var eventNumber = 0

    init(tenantId: TenantID, endpointIds: [EndpointID], seed: UInt64) {
        self.tenantId = tenantId
        self.endpointIds = endpointIds
        self.random = SplitMix64(seed: seed)
    }

    /// The records of the next event and all its deliveries, as of `nowMs`.
    mutating func nextEvent(nowMs: UInt64) -> [Record] {
        self.eventNumber += 1
        let eventId = EventID.generate(timeMs: nowMs, using: &self.random)
        var records: [Record] = [
            .eventReceived(EventReceived(
                tenantId: self.tenantId,
                eventId: eventId,
                type: "call.completed",
                rawBody: self.body(),
                receivedAtMs: nowMs,
                occurredAtMs: nowMs - 1_500,
                callId: "call_\(self.eventNumber)"
            ))
        ]
        for endpointId in self.endpointIds {
            let deliveryId = DeliveryID.generate(timeMs: nowMs, using: &self.random)
            records.append(.deliveryPlanned(DeliveryPlanned(deliveryId: deliveryId, eventId: eventId, tenantId: self.tenantId, target: .endpoint(endpointId), plannedAtMs: nowMs)))
            var attempt: UInt32 = 1
            if self.random.next() % 10 == 0 {
                records.append(.attemptStarted(AttemptStarted(deliveryId: deliveryId, attemptNumber: attempt, startedAtMs: nowMs)))
                records.append(.attemptFinished(AttemptFinished(
                    deliveryId: deliveryId, attemptNumber: attempt, finishedAtMs: nowMs + 40, statusCode: 503, latencyMs: 40, errorKind: nil,
                    responseExcerpt: Array(#"{"error":"upstream unavailable"}"#.utf8)
                )))
                records.append(.deliveryRetryScheduled(DeliveryRetryScheduled(deliveryId: deliveryId, dueAtMs: nowMs + 5_000)))
                attempt += 1
            }
            let latencyMs = 20 + self.random.next() % 200
            records.append(.attemptStarted(AttemptStarted(deliveryId: deliveryId, attemptNumber: attempt, startedAtMs: nowMs)))
            records.append(.attemptFinished(AttemptFinished(
                deliveryId: deliveryId, attemptNumber: attempt, finishedAtMs: nowMs + latencyMs, statusCode: 200, latencyMs: latencyMs, errorKind: nil,
                responseExcerpt: Array(#"{"ok":true}"#.utf8)
            )))
            records.append(.deliverySucceeded(DeliverySucceeded(deliveryId: deliveryId, succeededAtMs: nowMs + latencyMs)))
        }
        return records
    }

    private static let words = [
        "hello", "thanks", "for", "calling", "Callina", "your", "order", "A-1042", "has", "shipped", "can", "I", "help",
        "with", "anything", "else", "\\\"yes\\\"", "please", "book", "a", "table", "at", "seven", "\\n", "Grüße", "🙂",
    ]

    private mutating func body() -> [UInt8] {
        let targetByteCount = 200 + Int(self.random.next() % 1_400)
        var transcript = ""
        while transcript.utf8.count < targetByteCount - 190 {
            transcript += Self.words[Int(self.random.next() % UInt64(Self.words.count))] + " "
        }
        let body = #"{"type":"call.completed","data":{"call_id":"call_\#(self.eventNumber)","from":"+43660123\#(self.eventNumber % 10_000)","#
            + #""to":"+4319876543","duration_seconds":\#(self.random.next() % 600),"transcript":"\#(transcript)"},"metadata":{"agent":"front-desk"}}"#
        return Array(body.utf8)
    }
}

/// A fast, seeded generator (SplitMix64): the same seed gives the same workload.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        self.state = seed
    }

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var value = self.state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
