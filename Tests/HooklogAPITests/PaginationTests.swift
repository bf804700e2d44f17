import Foundation
import HooklogTestSupport
import NIOHTTP1
import Testing

@Suite("Cursor pagination")
struct PaginationTests {
    @Test(.timeLimit(.minutes(1)))
    func testPagingNeitherSkipsNorRepeatsWhileEventsArePosted() async throws {
        try await withAPIHarness { hooklog in
            let key = try await hooklog.createTenant()
            _ = try await hooklog.createEndpoint(key: key, path: "/hook", events: ["call.completed"])
            var before: Set<String> = []
            for _ in 0..<40 {
                before.insert(try #require(try await hooklog.postEvent(key: key).json["id"] as? String))
            }
            let writer = Task {
                var posted: [String] = []
                for index in 0..<60 {
                    let answer = try await hooklog.postEvent(key: key, type: index % 2 == 0 ? "call.completed" : "call.started")
                    posted.append(answer.json["id"] as? String ?? "")
                }
                return posted
            }
            var seenEvents: [String] = []
            var seenDeliveries: [String] = []
            var eventCursor: String?
            var deliveryCursor: String?
            var eventsDone = false
            var deliveriesDone = false
            while !eventsDone || !deliveriesDone {
                if !eventsDone {
                    let page = try await hooklog.request(.GET, "/v1/events?limit=7" + (eventCursor.map { "&cursor=\($0)" } ?? ""), key: key)
                    #expect(page.status == 200)
                    seenEvents += page.items.compactMap { $0["id"] as? String }
                    eventCursor = page.json["next_cursor"] as? String
                    eventsDone = eventCursor == nil
                }
                if !deliveriesDone {
                    let page = try await hooklog.request(.GET, "/v1/deliveries?limit=5" + (deliveryCursor.map { "&cursor=\($0)" } ?? ""), key: key)
                    #expect(page.status == 200)
                    seenDeliveries += page.items.compactMap { $0["id"] as? String }
                    deliveryCursor = page.json["next_cursor"] as? String
                    deliveriesDone = deliveryCursor == nil
                }
            }
            let after = try await writer.value
            #expect(Set(seenEvents).count == seenEvents.count, "an event was listed twice")
            #expect(before.isSubset(of: Set(seenEvents)), "an event that existed before paging was skipped")
            #expect(Set(seenEvents).isSubset(of: before.union(after)))
            #expect(Set(seenDeliveries).count == seenDeliveries.count, "a delivery was listed twice")
            #expect(seenDeliveries.count >= before.count)

            // Filters page too: every call.started event, once.
            var started: [String] = []
            var cursor: String?
            repeat {
                let page = try await hooklog.request(.GET, "/v1/events?type=call.started&limit=4" + (cursor.map { "&cursor=\($0)" } ?? ""), key: key)
                #expect(page.items.allSatisfy { $0["type"] as? String == "call.started" })
                started += page.items.compactMap { $0["id"] as? String }
                cursor = page.json["next_cursor"] as? String
            } while cursor != nil
            #expect(started.count == 30)
            #expect(Set(started).count == 30)
        }
    }

    /// Events carry their bodies: a page stops early once they reach 4 MiB, and its cursor goes on.
    @Test(.timeLimit(.minutes(1)))
    func testAPageOfLargeEventsStopsAtItsByteBudgetAndGoesOnFromItsCursor() async throws {
        try await withAPIHarness { hooklog in
            let key = try await hooklog.createTenant()
            let transcript = String(repeating: "a", count: 900_000)
            var posted: [String] = []
            for _ in 0..<6 {
                posted.append(try #require(try await hooklog.postEvent(key: key, data: #"{"transcript":"\#(transcript)"}"#).json["id"] as? String))
            }
            let first = try await hooklog.request(.GET, "/v1/events?limit=100", key: key)
            #expect(first.status == 200)
            #expect(first.items.count == 5, "900 kB bodies: the fifth reaches 4 MiB")
            let cursor = try #require(first.json["next_cursor"] as? String)
            let second = try await hooklog.request(.GET, "/v1/events?limit=100&cursor=\(cursor)", key: key)
            #expect((first.items + second.items).compactMap { $0["id"] as? String } == posted)
            #expect(second.json["next_cursor"] is NSNull)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func testTimeWindowFiltersEventsAndDeliveries() async throws {
        try await withAPIHarness { hooklog in
            let key = try await hooklog.createTenant()
            _ = try await hooklog.createEndpoint(key: key, path: "/hook")
            _ = try await hooklog.postEvent(key: key)
            try await Task.sleep(for: .milliseconds(20))
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            let middle = formatter.string(from: Date().addingTimeInterval(-0.005))
            try await Task.sleep(for: .milliseconds(20))
            let later = try await hooklog.postEvent(key: key)
            let since = try await hooklog.request(.GET, "/v1/events?since=\(middle)", key: key)
            #expect(since.items.map { $0["id"] as? String } == [later.json["id"] as? String])
            let until = try await hooklog.request(.GET, "/v1/events?until=\(middle)", key: key)
            #expect(until.items.count == 1)
            #expect(try await hooklog.request(.GET, "/v1/deliveries?since=\(middle)", key: key).items.count == 1)
            // Endpoints have no time window: one asked for is refused, not ignored.
            for parameter in ["since", "until"] {
                let endpoints = try await hooklog.request(.GET, "/v1/endpoints?\(parameter)=\(middle)", key: key)
                #expect(endpoints.status == 400 && endpoints.errorCode == "invalid_parameter", "\(endpoints.json)")
            }
            #expect(try await hooklog.request(.GET, "/v1/endpoints?limit=1", key: key).items.count == 1)
        }
    }

    /// A cursor of one listing passed to another is refused with a 400, not read as a place in it.
    @Test(.timeLimit(.minutes(1)))
    func testACursorOfAnotherListingIsRefused() async throws {
        try await withAPIHarness { hooklog in
            let key = try await hooklog.createTenant()
            _ = try await hooklog.createEndpoint(key: key, path: "/hook")
            for _ in 0..<2 { _ = try await hooklog.postEvent(key: key) }
            let events = try await hooklog.request(.GET, "/v1/events?limit=1", key: key)
            let cursor = try #require(events.json["next_cursor"] as? String)
            let deliveries = try await hooklog.request(.GET, "/v1/deliveries?cursor=\(cursor)", key: key)
            #expect(deliveries.status == 400 && deliveries.errorCode == "invalid_parameter", "\(deliveries.json)")
            #expect(try await hooklog.request(.GET, "/v1/events?cursor=\(cursor)", key: key).items.count == 1)
        }
    }
}
