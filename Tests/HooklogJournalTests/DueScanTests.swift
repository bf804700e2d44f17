import Foundation
import HooklogCore
import HooklogJournal
import Testing

/// The scheduler's scan of the due index: a window of deliveries to take, stepping over the
/// targets that have no room, and a place to go on from when it stops short.
@Suite("Due index scans")
struct DueScanTests {
    /// A damaged entry of the due or in-flight index (as a disk fault or a bug could leave one)
    /// stops nothing: scans step over it and count it, the deliveries due after it are still
    /// found, and recovery at start steps over an in-flight entry naming no readable delivery.
    @Test func damagedIndexEntriesAreSteppedOverAndCounted() async throws {
        try await withTemporaryFolder { path in
            let store = try HooklogStore(path: path, initialMapSizeBytes: 1 << 20, logger: quietLogger)
            let nowMs = JournalConfiguration.wallClockMs()
            let tenantId = try await store.createTenant(name: "Callina", apiKeyHash: SHA256Hasher.digest(Array("key".utf8)), defaultSigningSecret: "whsec_AAAA", nowMs: nowMs)
            _ = try await store.createEndpoint(
                tenantId: tenantId, EndpointDraft(url: "https://receiver.example/hook", enabledEvents: ["call.started"], signingSecret: "whsec_AAAA"), nowMs: nowMs
            ).endpointId
            var posted: [DeliveryID] = []
            for _ in 0..<3 {
                let event = try await store.ingest(EventSubmission(tenantId: tenantId, type: "call.started", rawBody: Array(#"{"type":"call.started"}"#.utf8)))
                posted.append(try #require(event.deliveries.first?.deliveryId))
            }
            let environment = store.journal.environment
            let due = environment.database(ProjectionTable.due.rawValue)
            let inFlight = environment.database(ProjectionTable.inFlight.rawValue)
            try environment.write { transaction in
                // Before every real entry: a key too short to be one, and one whose value names no target.
                try transaction.put([1], forKey: [0, 0, 0], in: due)
                try transaction.put([9, 9], forKey: [UInt8](repeating: 0, count: 25), in: due)
                // After every lane: a key in none.
                try transaction.put([1], forKey: [DueLane.firstByteAfterLanes, 0], in: due)
                try transaction.put([], forKey: [UInt8](repeating: 7, count: 16), in: inFlight)
                // A delivery in flight whose row cannot be decoded.
                try transaction.put([0xFF], forKey: ProjectionKeys.delivery(posted[2]), in: environment.database(ProjectionTable.deliveries.rawValue))
                try transaction.put([], forKey: ProjectionKeys.inFlight(posted[2]), in: inFlight)
            }
            let scan = try store.dueDeliveries(atOrBeforeMs: .max, limit: 10, examiningAtMost: 10)
            // Planned within one millisecond, they sort by id, not in the order posted.
            #expect(Set(scan.deliveries.map(\.deliveryId)) == Set(posted) && scan.deliveries.count == posted.count)
            #expect(scan.unreadableCount == 3)
            let recovery = try await store.recoverInterruptedAttempts(nowMs: nowMs)
            #expect(recovery.recoveredCount == 0 && recovery.unreadableCount == 2)
            // The scheduler's wait for the next due time steps over them too, rather than sleeping.
            #expect(try store.nextDueAtMs() != nil)
            await store.close()
        }
    }

    /// A due delivery whose event the projections have lost cannot be started: the start
    /// throws, so that the scheduler holds it back and says so, rather than journaling nothing
    /// and finding it due again at every scan.
    @Test func aDeliveryWhoseEventIsMissingFailsToStart() async throws {
        try await withTemporaryFolder { path in
            let store = try HooklogStore(path: path, initialMapSizeBytes: 1 << 20, logger: quietLogger)
            let nowMs = JournalConfiguration.wallClockMs()
            let tenantId = try await store.createTenant(name: "Callina", apiKeyHash: SHA256Hasher.digest(Array("key".utf8)), defaultSigningSecret: "whsec_AAAA", nowMs: nowMs)
            _ = try await store.createEndpoint(tenantId: tenantId, EndpointDraft(url: "https://receiver.example/hook", signingSecret: "whsec_AAAA"), nowMs: nowMs)
            let event = try await store.ingest(EventSubmission(tenantId: tenantId, type: "call.started", rawBody: Array(#"{"type":"call.started"}"#.utf8)))
            let deliveryId = try #require(event.deliveries.first?.deliveryId)
            let environment = store.journal.environment
            try environment.write { _ = try $0.delete(forKey: ProjectionKeys.event(event.eventId), in: environment.database(ProjectionTable.events.rawValue)) }
            let error = await #expect(throws: (any Error).self) { try await store.startAttempts([deliveryId], nowMs: .max) }
            #expect(error.map { "\($0)" }?.contains("whose record cannot be found") == true, "\(String(describing: error))")
            #expect(try store.read { try $0.projections.delivery(deliveryId) }?.status == .pending, "nothing journaled")
            await store.close()
        }
    }

    @Test func aScanStepsOverFullTargetsAndSaysWhereToGoOn() async throws {
        try await withTemporaryFolder { path in
            let store = try HooklogStore(path: path, initialMapSizeBytes: 1 << 20, logger: quietLogger)
            let nowMs = JournalConfiguration.wallClockMs()
            let tenantId = try await store.createTenant(name: "Callina", apiKeyHash: SHA256Hasher.digest(Array("key".utf8)), defaultSigningSecret: "whsec_AAAA", nowMs: nowMs)
            func endpoint(_ type: String) async throws -> EndpointID {
                try await store.createEndpoint(
                    tenantId: tenantId, EndpointDraft(url: "https://receiver.example/\(type)", enabledEvents: [type], signingSecret: "whsec_AAAA"), nowMs: nowMs
                ).endpointId
            }
            let busy = TargetKey(endpoint: try await endpoint("call.started"))
            let idle = TargetKey(endpoint: try await endpoint("call.completed"))
            func post(_ type: String) async throws -> DeliveryID {
                let event = try await store.ingest(EventSubmission(tenantId: tenantId, type: type, rawBody: Array(#"{"type":"\#(type)"}"#.utf8)))
                return try #require(event.deliveries.first?.deliveryId)
            }
            for _ in 0..<5 { _ = try await post("call.started") }
            // Due after the whole backlog (within one millisecond, entries sort by id).
            try await Task.sleep(for: .milliseconds(5))
            let waiting = try await post("call.completed")
            let dueMs = JournalConfiguration.wallClockMs() + 1_000
            let order = try store.dueDeliveries(atOrBeforeMs: dueMs, limit: 10, examiningAtMost: 10).deliveries.map(\.deliveryId)
            #expect(order.count == 6 && order.last == waiting)

            let whole = try store.dueDeliveries(atOrBeforeMs: dueMs, limit: 10, examiningAtMost: 10, skipping: [busy])
            #expect(whole.deliveries.map(\.deliveryId) == [waiting] && whole.deliveries.first?.target == idle)
            #expect(whole.sawDue && whole.resumeAfter == nil)

            // Three entries looked at, all stepped over: the next scan goes on after them.
            let short = try store.dueDeliveries(atOrBeforeMs: dueMs, limit: 10, examiningAtMost: 3, skipping: [busy])
            #expect(short.deliveries.isEmpty && short.sawDue && short.resumeAfter != nil)
            let rest = try store.dueDeliveries(atOrBeforeMs: dueMs, after: short.resumeAfter, limit: 10, examiningAtMost: 3, skipping: [busy])
            #expect(rest.deliveries.map(\.deliveryId) == [waiting] && rest.resumeAfter == nil)

            // A full window stops the scan where it filled.
            let window = try store.dueDeliveries(atOrBeforeMs: dueMs, limit: 2, examiningAtMost: 100)
            #expect(window.deliveries.map(\.deliveryId) == Array(order.prefix(2)) && window.resumeAfter != nil)
            let next = try store.dueDeliveries(atOrBeforeMs: dueMs, after: window.resumeAfter, limit: 10, examiningAtMost: 100)
            #expect(next.deliveries.map(\.deliveryId) == Array(order.dropFirst(2)))

            // A per-call URL's target (33 bytes) is told apart from an endpoint's (17).
            let inline = try await store.ingest(EventSubmission(
                tenantId: tenantId, type: "call.ended", rawBody: Array(#"{"type":"call.ended"}"#.utf8), webhookURL: "https://calls.example/hook"
            ))
            let inlineId = try #require(inline.deliveries.first?.deliveryId)
            let everything = try store.dueDeliveries(atOrBeforeMs: .max, limit: 10, examiningAtMost: 10).deliveries
            let inlineTarget = try #require(everything.first { $0.deliveryId == inlineId }?.target)
            #expect(inlineTarget.bytes.count == 33)
            let inlineFull = try store.dueDeliveries(atOrBeforeMs: .max, limit: 10, examiningAtMost: 10, skipping: [inlineTarget, busy])
            #expect(inlineFull.deliveries.map(\.deliveryId) == [waiting])

            // Nothing is due yet before the deliveries were planned.
            let early = try store.dueDeliveries(atOrBeforeMs: nowMs - 60_000, limit: 10, examiningAtMost: 10)
            #expect(early.deliveries.isEmpty && !early.sawDue && early.resumeAfter == nil)
            await store.close()
        }
    }

    /// A target whose slot frees is refilled with its live deliveries first, then those a replay
    /// reopened, each lane the earliest first; a live one not yet due holds no replayed one back.
    @Test func aTargetIsRefilledWithItsLiveDeliveriesAheadOfItsReplayedOnes() async throws {
        try await withTemporaryFolder { path in
            let store = try HooklogStore(path: path, initialMapSizeBytes: 1 << 20, logger: quietLogger)
            let target = TargetKey(endpoint: EndpointID(rawValue: 10))
            try Self.write([
                (target, .replay, 1_000, 1),
                (target, .replay, 1_500, 2),
                (target, .live, 2_500, 5),
                (target, .live, 2_000, 3),
                (target, .live, 9_000, 4),
                (target, .replay, 9_000, 7),
                (TargetKey(endpoint: EndpointID(rawValue: 11)), .live, 1_000, 6),
            ], into: store)
            let refill = { (limit: Int) in try store.dueDeliveries(to: target, atOrBeforeMs: 5_000, limit: limit).map(\.deliveryId.rawValue) }
            #expect(try refill(10) == [3, 5, 1, 2])
            #expect(try refill(3) == [3, 5, 1])
            #expect(try refill(1) == [3])
            await store.close()
        }
    }

    /// The due index's scan takes every live delivery due before any a replay reopened. A pass
    /// goes on in the replay lane after the last entry it examined there, but reads the live
    /// lane from its start at every scan that reaches its end: live work that came due since,
    /// wherever it sorts, goes ahead of the rest of the replay's backlog.
    @Test func aScanTakesLiveDeliveriesAheadOfReplayedOnesAndGoesOnThroughTheReplayLane() async throws {
        try await withTemporaryFolder { path in
            let store = try HooklogStore(path: path, initialMapSizeBytes: 1 << 20, logger: quietLogger)
            let target = TargetKey(endpoint: EndpointID(rawValue: 10))
            let otherTarget = TargetKey(endpoint: EndpointID(rawValue: 11))
            try Self.write([
                (otherTarget, .replay, 1_000, 1),
                (target, .replay, 1_500, 2),
                (otherTarget, .replay, 1_600, 9),
                (target, .live, 2_000, 3),
                (target, .live, 9_000, 4),
            ], into: store)
            let ids = { (scan: DueScan) in scan.deliveries.map(\.deliveryId.rawValue) }
            let scan = { (position: DuePosition?, limit: Int, skipping: Set<TargetKey>) in
                try store.dueDeliveries(atOrBeforeMs: 5_000, after: position, limit: limit, examiningAtMost: limit, skipping: skipping)
            }
            #expect(try ids(scan(nil, 10, [])) == [3, 1, 2, 9])
            #expect(try store.nextDueAtMs() == 1_000, "the earliest of either lane")

            // One at a time: the live one comes again at each scan (a scheduler has it claimed by
            // then, and steps over it), the replay lane goes on.
            let first = try scan(nil, 1, [])
            let second = try scan(first.resumeAfter, 2, [])
            let third = try scan(second.resumeAfter, 2, [])
            #expect(ids(first) == [3] && ids(second) == [3, 1] && ids(third) == [3, 2])
            #expect(try ids(scan(third.resumeAfter, 2, [])) == [3, 9])

            // The live one's target is full: stepped over at each scan, and the replay lane gone
            // on through by one scan after another.
            let past1 = try scan(nil, 1, [target])
            #expect(ids(past1) == [1] && past1.resumeAfter != nil)
            let past2 = try scan(past1.resumeAfter, 1, [target])
            #expect(ids(past2).isEmpty && past2.resumeAfter != nil, "2, the full target's, stepped over")
            let past3 = try scan(past2.resumeAfter, 1, [target])
            #expect(ids(past3) == [9] && past3.resumeAfter == nil)

            // Live work due since, even before the live lane's last entry, goes first.
            try Self.write([(target, .live, 500, 8)], into: store)
            #expect(try ids(scan(second.resumeAfter, 10, [])) == [8, 3, 2, 9])

            // A scan cut in the live lane keeps where the replay lane had got to.
            let cutInLive = try scan(second.resumeAfter, 1, [])
            #expect(ids(cutInLive) == [8])
            #expect(try ids(scan(cutInLive.resumeAfter, 10, [])) == [3, 2, 9], "not 1 again")
            await store.close()
        }
    }

    /// Writes the `due` and `targetDue` entries of waiting deliveries, as the reducer would.
    private static func write(_ entries: [(target: TargetKey, lane: DueLane, dueAtMs: UInt64, deliveryId: UInt128)], into store: HooklogStore) throws {
        let environment = store.journal.environment
        try environment.write { transaction in
            for entry in entries {
                let deliveryId = DeliveryID(rawValue: entry.deliveryId)
                let dueKey = ProjectionKeys.due(entry.lane, dueAtMs: entry.dueAtMs, deliveryId: deliveryId)
                let targetDueKey = ProjectionKeys.targetDue(entry.target, entry.lane, dueAtMs: entry.dueAtMs, deliveryId: deliveryId)
                try transaction.put(entry.target.bytes, forKey: dueKey, in: environment.database(ProjectionTable.due.rawValue))
                try transaction.put([], forKey: targetDueKey, in: environment.database(ProjectionTable.targetDue.rawValue))
            }
        }
    }
}
