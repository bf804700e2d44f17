import Foundation
import HooklogCore
import HooklogJournal
import HooklogTestSupport
import Testing

@Suite("hooklog inspect", .timeLimit(.minutes(1)))
struct InspectCommandTests {
    /// A story holding an entry whose bytes changed since it was appended (here the event's
    /// body, or a later attempt's) is refused, not told from the changed bytes.
    @Test func aStoryWithAChangedEntryIsRefused() async throws {
        try await ToolsFixture.withStore { fixture in
            let tenantId = try await fixture.tenant()
            _ = try await fixture.endpoint(of: tenantId)
            let event = try await fixture.post(Array(#"{"data":{"marker":"intact"}}"#.utf8), tenant: tenantId)
            let deliveryId = event.deliveries[0].deliveryId
            try await fixture.attempt(deliveryId, answering: 200)
            #expect(try await fixture.hooklog("inspect", deliveryId.description).status == 0)
            try #require(try fixture.store.environment.changeLogEntries(holding: "intact").count == 1)
            for id in [event.eventId.description, deliveryId.description] {
                let refused = try await fixture.hooklog("inspect", id, "--json")
                #expect(refused.status != 0 && refused.output.contains("no longer match its chain hash"), "\(refused.output)")
                #expect(!refused.output.contains("Intact"), "the changed bytes are not shown")
            }
        }
    }

    /// An id cut short or mistyped is said to be so, not taken for another kind of id.
    @Test func anIdNotWholeIsToldApartFromOneOfAnotherKind() async throws {
        try await ToolsFixture.withStore { fixture in
            let cases = [
                ("evt_doesnotexist", "evt_doesnotexist is not an id as Hooklog gives them"),
                ("dlv_01kqwgxx00227t933np6cgwxs", "is not an id as Hooklog gives them"),
                ("ep_01kqwgxx00227t933np6cgwxsz", "is neither an event id (evt_…) nor a delivery id (dlv_…)"),
                ("evt_01kqwgxx00227t933np6cgwxsz", "no event evt_01kqwgxx00227t933np6cgwxsz"),
            ]
            for (id, message) in cases {
                let refused = try await fixture.hooklog("inspect", id)
                #expect(refused.status == 1 && refused.output.contains(message), "\(id): \(refused.output)")
            }
        }
    }

    @Test func aDeliverysStoryListsItsRecordsInOrderAndItsAttempts() async throws {
        try await ToolsFixture.withStore { fixture in
            let tenantId = try await fixture.tenant()
            _ = try await fixture.endpoint(of: tenantId)
            _ = try await fixture.endpoint(of: tenantId)
            let event = try await fixture.post(Array(#"{"type":"call.completed","data":{"call_id":"vs_1"}}"#.utf8), tenant: tenantId)
            let deliveryId = event.deliveries[0].deliveryId
            try await fixture.attempt(deliveryId, answering: 503, retryDelaysMs: [0])
            #expect(try Self.status(of: deliveryId, fixture) == .retrying)
            #expect(try await fixture.attempt(deliveryId, answering: 200) == .succeeded)
            try await fixture.post(Array("unrelated".utf8), tenant: tenantId)

            let json = try await fixture.hooklog("inspect", deliveryId.description, "--json")
            #expect(json.status == 0, "\(json.output)")
            let story = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
            let records = try #require(story["records"] as? [[String: Any]])
            #expect(records.compactMap { $0["kind"] as? String } == [
                "event_received", "delivery_planned", "attempt_started", "attempt_finished",
                "delivery_retry_scheduled", "attempt_started", "attempt_finished", "delivery_succeeded",
            ])
            let sequences = records.compactMap { $0["sequence"] as? Int }
            #expect(sequences == sequences.sorted())
            let delivery = try #require((story["deliveries"] as? [[String: Any]])?.first)
            #expect(delivery["status"] as? String == "succeeded")
            #expect((delivery["attempts"] as? [[String: Any]])?.compactMap { $0["status_code"] as? Int } == [503, 200])
            #expect((story["event"] as? [String: Any])?["raw_body"] as? String == #"{"type":"call.completed","data":{"call_id":"vs_1"}}"#)

            let table = try await fixture.hooklog("inspect", deliveryId.description)
            #expect(table.status == 0)
            #expect(table.output.contains("delivery \(deliveryId)") && table.output.contains("succeeded"))
            #expect(table.output.contains("attempt 1: 503 in 12 ms") && table.output.contains("attempt 2: 200 in 12 ms"))
            #expect(!table.output.contains(event.deliveries[1].deliveryId.description), "only the delivery asked for")

            let wholeEvent = try await fixture.hooklog("inspect", event.eventId.description)
            #expect(wholeEvent.status == 0)
            #expect(event.deliveries.allSatisfy { wholeEvent.output.contains("delivery \($0.deliveryId)") })
            #expect(wholeEvent.output.contains("no attempts yet"))

            let unknown = try await fixture.hooklog("inspect", "evt_" + String(repeating: "0", count: 26))
            #expect(unknown.status == 1 && unknown.output.contains("no event"))
        }
    }

    /// An attempt a crash cut off, finished by the next start, is shown as interrupted with no
    /// latency: it had no answer to time, and the 0 ms its record holds is no measurement.
    @Test func anAttemptACrashCutOffShowsNoLatency() async throws {
        try await ToolsFixture.withStore { fixture in
            let tenantId = try await fixture.tenant()
            _ = try await fixture.endpoint(of: tenantId)
            let deliveryId = try await fixture.post(Array("{}".utf8), tenant: tenantId).deliveries[0].deliveryId
            _ = try await fixture.store.startAttempts([deliveryId], nowMs: fixture.nowMs)
            #expect(try await fixture.store.recoverInterruptedAttempts(nowMs: fixture.nowMs).recoveredCount == 1)

            let json = try await fixture.hooklog("inspect", deliveryId.description, "--json")
            let story = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
            let attempts = try #require((story["deliveries"] as? [[String: Any]])?.first?["attempts"] as? [[String: Any]])
            #expect(attempts.count == 1 && attempts[0]["error"] as? String == "interrupted", "\(attempts)")
            #expect(attempts[0]["latency_ms"] is NSNull, "\(attempts)")

            let table = try await fixture.hooklog("inspect", deliveryId.description)
            #expect(table.output.contains("attempt 1: interrupted\n") && !table.output.contains("0 ms"), "\(table.output)")
        }
    }

    /// The projections keep a delivery's latest attempts only; its story, read from the log, has them all.
    @Test func aDeliveryRetriedMoreOftenThanItsRowKeepsShowsEveryAttempt() async throws {
        try await ToolsFixture.withStore { fixture in
            let tenantId = try await fixture.tenant()
            _ = try await fixture.endpoint(of: tenantId)
            let deliveryId = try await fixture.post(Array("{}".utf8), tenant: tenantId).deliveries[0].deliveryId
            #expect(try await fixture.attempt(deliveryId, answering: 200) == .succeeded)
            let retries = DeliveryState.earlierAttemptsKept + 5
            for _ in 0..<retries {
                guard case .scheduled = try await fixture.store.retryDelivery(deliveryId, tenantId: tenantId, nowMs: fixture.nowMs) else {
                    Issue.record("a manual retry was refused")
                    return
                }
                #expect(try await fixture.attempt(deliveryId, answering: 200) == .succeeded)
            }
            let row = try #require(try fixture.store.read { try $0.projections.delivery(deliveryId) })
            #expect(row.attemptCount == UInt32(retries + 1) && row.attempts.count == DeliveryState.earlierAttemptsKept + 1)

            let json = try await fixture.hooklog("inspect", deliveryId.description, "--json")
            #expect(json.status == 0, "\(json.output)")
            let story = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
            let delivery = try #require((story["deliveries"] as? [[String: Any]])?.first)
            let attempts = try #require(delivery["attempts"] as? [[String: Any]])
            #expect(attempts.compactMap { $0["attempt"] as? Int } == Array(1...(retries + 1)))
            #expect(attempts.allSatisfy { $0["status_code"] as? Int == 200 })
        }
    }

    private static func status(of deliveryId: DeliveryID, _ fixture: ToolsFixture) throws -> DeliveryStatus? {
        try fixture.store.read { try $0.projections.delivery(deliveryId)?.status }
    }
}
