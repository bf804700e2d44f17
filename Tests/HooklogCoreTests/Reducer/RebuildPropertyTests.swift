import HooklogCore
import HooklogTestSupport
import Testing

/// The acceptance test of the delivery core: projections built live (record by record inside
/// group-commit batches, some thrown away and replayed, with impossible records rejected along
/// the way) are byte-identical to projections rebuilt by replaying the encoded log from empty.
@Suite("Live projections equal rebuilt projections")
struct RebuildPropertyTests {
    static let streamCount = 2_000

    @Test func liveAndRebuiltProjectionsAreByteIdenticalForThousandsOfRandomStreams() throws {
        var totalRecords = 0
        var totalRejected = 0
        var kindsSeen = Set<RecordKind>()
        var statusesSeen = Set<DeliveryStatus>()
        for seed in 1...UInt64(Self.streamCount) {
            let outcome = try Self.run(seed: seed, commandCount: Int(seed % 60) + 3)
            totalRecords += outcome.log.count
            totalRejected += outcome.rejectedCount
            kindsSeen.formUnion(outcome.kinds)
            statusesSeen.formUnion(outcome.statuses)
            if outcome.failed { return }
        }
        // The streams must really exercise everything, or equality proves little.
        #expect(kindsSeen == Set(RecordKind.allCases))
        #expect(statusesSeen == Set(DeliveryStatus.allCases))
        #expect(totalRecords > 60_000)
        #expect(totalRejected > 1_000)
    }

    /// A log entry as the journal stores it: the record's bytes and its batch's append time.
    struct Entry {
        var payload: [UInt8]
        var appendedAtMs: UInt64
    }

    struct Outcome {
        var log: [Entry] = []
        var rejectedCount = 0
        var kinds = Set<RecordKind>()
        var statuses = Set<DeliveryStatus>()
        var failed = false
    }

    /// One write request of a batch, and perhaps an impossible record sent right after it.
    struct Request {
        var records: [Record]
        var impossible: Record?
    }

    /// Generates one stream from `seed`, applies it live in batches and by rebuild, and compares.
    static func run(seed: UInt64, commandCount: Int) throws -> Outcome {
        var generator = RecordStreamGenerator(seed: seed)
        var chance = SeededGenerator(seed: seed &* 0x9E37_79B9)
        var live = MemoryProjections()
        var outcome = Outcome()
        var remaining = commandCount
        var appendedAtMs: UInt64 = 1_700_000_000_000
        while remaining > 0 {
            // One group-commit batch: several commands (write requests) in one transaction.
            let batchSize = min(remaining, Int.random(in: 1...6, using: &chance))
            remaining -= batchSize
            var requests: [Request] = []
            for _ in 0..<batchSize {
                var request = Request(records: generator.nextCommand())
                if chance.chance(0.15) {
                    request.impossible = generator.impossibleRecord()
                }
                requests.append(request)
            }
            let firstSequence = UInt64(outcome.log.count) + 1
            appendedAtMs += UInt64.random(in: 0...2_000, using: &chance)
            let changes = try Self.runBatch(requests, on: live, firstSequence: firstSequence, appendedAtMs: appendedAtMs, seed: seed, rejected: &outcome.rejectedCount)
            if chance.chance(0.1) {
                // The batch is thrown away (the map grew, say) and replayed from the same state.
                var ignored = 0
                let replayed = try Self.runBatch(requests, on: live, firstSequence: firstSequence, appendedAtMs: appendedAtMs, seed: seed, rejected: &ignored)
                #expect(replayed == changes, "seed \(seed): a replayed batch wrote other bytes")
            }
            live.apply(changes)
            for record in requests.flatMap(\.records) {
                outcome.log.append(Entry(payload: record.encode(), appendedAtMs: appendedAtMs))
                outcome.kinds.insert(record.kind)
            }
        }

        // Rebuild: drop everything, decode the log, replay from sequence 1.
        var rebuilt = MemoryProjections()
        for (offset, entry) in outcome.log.enumerated() {
            let record = try Record(decoding: entry.payload)
            try rebuilt.apply(record, sequence: UInt64(offset + 1), appendedAtMs: entry.appendedAtMs)
        }
        let identical = live.snapshot() == rebuilt.snapshot()
        #expect(identical, "seed \(seed): live and rebuilt projections differ: \(Self.firstDifference(live, rebuilt) ?? "?")")
        let problems = ProjectionInvariants.violations(in: live)
        #expect(problems.isEmpty, "seed \(seed): \(problems.prefix(5))")
        let disagreements = Self.disagreements(between: generator.model, and: live)
        #expect(disagreements.isEmpty, "seed \(seed): \(disagreements.prefix(5))")
        outcome.failed = !identical || !problems.isEmpty || !disagreements.isEmpty
        for (_, value) in live.entries(in: .deliveries) {
            outcome.statuses.insert(try DeliveryState(decoding: value).status)
        }
        return outcome
    }

    /// Runs a batch in one overlay over `base`, as the journal's write transaction does, and
    /// returns the changes to commit. Impossible records must throw and change nothing.
    static func runBatch(
        _ requests: [Request],
        on base: MemoryProjections,
        firstSequence: UInt64,
        appendedAtMs: UInt64,
        seed: UInt64,
        rejected: inout Int
    ) throws -> [ProjectionChange] {
        var overlay = BatchOverlay(base: base, appendedAtMs: appendedAtMs)
        var sequence = firstSequence
        for request in requests {
            for record in request.records {
                try overlay.append(record, sequence: sequence)
                sequence += 1
            }
            if let impossible = request.impossible {
                let before = overlay.changes.count
                #expect(throws: ReducerError.self, "seed \(seed): \(impossible)") { try overlay.append(impossible, sequence: sequence) }
                #expect(overlay.changes.count == before, "seed \(seed): a rejected record changed state")
                rejected += 1
            }
        }
        return overlay.changes
    }

    /// The first table and key where two stores differ, for a readable failure.
    static func firstDifference(_ left: MemoryProjections, _ right: MemoryProjections) -> String? {
        for table in ProjectionTable.allCases {
            let leftEntries = left.entries(in: table)
            let rightEntries = right.entries(in: table)
            for index in 0..<max(leftEntries.count, rightEntries.count) {
                let l = index < leftEntries.count ? leftEntries[index] : nil
                let r = index < rightEntries.count ? rightEntries[index] : nil
                if l?.key != r?.key || l?.value != r?.value {
                    return "\(table.rawValue) entry \(index): key \(l?.key ?? []) vs \(r?.key ?? [])"
                }
            }
        }
        return nil
    }

    /// Where the generator's independent model and the reducer's projections disagree.
    static func disagreements(between model: WorldModel, and projections: MemoryProjections) -> [String] {
        var found: [String] = []
        for id in model.deliveryIds {
            let expected = model.deliveries[id]!
            guard let bytes = projections.value(in: .deliveries, forKey: ProjectionKeys.delivery(id)),
                let actual = try? DeliveryState(decoding: bytes)
            else {
                found.append("\(id) missing")
                continue
            }
            if actual.status != expected.status || actual.attemptCount != expected.attempts
                || actual.nextAttemptAtMs != expected.dueAtMs || actual.replayId != expected.replay
            {
                found.append("\(id): \(actual.status.name)/\(actual.attemptCount)/\(String(describing: actual.nextAttemptAtMs)) expected \(expected.status.name)/\(expected.attempts)/\(String(describing: expected.dueAtMs))")
            }
        }
        for id in model.endpointIds {
            let expected = model.endpoints[id]!
            let actual = projections.value(in: .endpoints, forKey: ProjectionKeys.endpoint(id)).flatMap { try? EndpointState(decoding: $0) }
            if expected.deleted != (actual == nil) || (actual.map { ($0.status == .enabled) != expected.enabled } ?? false) {
                found.append("endpoint \(id) disagrees")
            }
        }
        if projections.count(in: .events) != model.events.count { found.append("event count") }
        if projections.count(in: .replays) != model.replays.count { found.append("replay count") }
        return found
    }
}
