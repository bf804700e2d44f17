import Foundation
import HooklogCore
import HooklogJournal
import Testing

/// A listing paged while entries are added never skips one: each new entry sorts after every
/// cursor already handed out, even when it lands in the same millisecond with a smaller id.
@Suite("Listings grow in commit order")
struct ListingOrderTests {
    /// Every batch is appended in the same millisecond: ids then sort at random within it.
    static let sameMillisecond: UInt64 = 1_795_000_000_000

    @Test func deliveriesPlannedAfterAPageAreListedAfterItsCursor() async throws {
        try await withSameMillisecondStore { store, tenantId in
            let endpointId = try await store.createEndpoint(
                tenantId: tenantId, EndpointDraft(url: "https://receiver.example/hook", signingSecret: "whsec_AAAA"), nowMs: Self.sameMillisecond
            ).endpointId
            var planned: Set<DeliveryID> = []
            for _ in 0..<20 { planned.formUnion(try await Self.post(store, tenantId)) }

            for query in [DeliveryQuery(), DeliveryQuery(endpointId: endpointId)] {
                let first = try store.listDeliveries(tenantId: tenantId, query, after: nil, limit: 5)
                var seen = first.items.map(\.id)
                for _ in 0..<20 { planned.formUnion(try await Self.post(store, tenantId)) }
                var cursor = first.nextCursor
                while let current = cursor {
                    let page = try store.listDeliveries(tenantId: tenantId, query, after: current, limit: 5)
                    seen += page.items.map(\.id)
                    cursor = page.nextCursor
                }
                #expect(seen.count == Set(seen).count, "listed twice")
                #expect(Set(seen) == planned, "\(planned.subtracting(seen).count) deliveries skipped")
            }
        }
    }

    @Test func endpointsCreatedAfterAPageAreListedAfterItsCursor() async throws {
        try await withSameMillisecondStore { store, tenantId in
            var created: [EndpointID] = []
            for _ in 0..<12 { created.append(try await Self.endpoint(store, tenantId)) }
            let first = try store.listEndpoints(tenantId: tenantId, after: nil, limit: 3)
            var seen = first.items.map(\.id)
            for _ in 0..<12 { created.append(try await Self.endpoint(store, tenantId)) }
            var cursor = first.nextCursor
            while let current = cursor {
                let page = try store.listEndpoints(tenantId: tenantId, after: current, limit: 3)
                seen += page.items.map(\.id)
                cursor = page.nextCursor
            }
            #expect(seen == created, "oldest first, none skipped, none twice")
        }
    }

    /// An event is listed with its deliveries: a tenant with a thousand endpoints gets a short
    /// page, with a cursor, once the deliveries read reach the page's bound of index entries, not
    /// a hundred events of a thousand deliveries each read in one request.
    @Test func aPageOfEventsStopsOnceItsDeliveriesReachThePagesBound() async throws {
        try await withSameMillisecondStore { store, tenantId in
            try await withThrowingTaskGroup(of: Void.self) { group in  // at once: fewer commits
                for _ in 0..<1_000 { group.addTask { _ = try await Self.endpoint(store, tenantId) } }
                try await group.waitForAll()
            }
            for _ in 0..<11 { #expect(try await Self.post(store, tenantId).count == 1_000) }
            let first = try store.listEvents(tenantId: tenantId, EventQuery(), after: nil, limit: 100)
            // Ten events and their 10,000 deliveries come to the bound.
            #expect(first.items.count == 10 && first.nextCursor != nil, "\(first.items.count) events")
            let rest = try store.listEvents(tenantId: tenantId, EventQuery(), after: first.nextCursor, limit: 100)
            #expect(rest.items.count == 1 && rest.nextCursor == nil)
        }
    }

    @Test func aCursorOfTheOlderKeyLayoutIsRefusedNotReadAsTheEnd() async throws {
        try await withSameMillisecondStore { store, tenantId in
            let endpointId = try await Self.endpoint(store, tenantId)
            _ = try await Self.endpoint(store, tenantId)
            // Layout 2 spelled a tenant's endpoint as tenantId ‖ endpointId.
            let older = try #require(PageCursor(text: Self.cursorText(.tenantEndpoints, tenantId.bytes + endpointId.bytes)))
            #expect(throws: QueryError.invalidCursor) { try store.listEndpoints(tenantId: tenantId, after: older, limit: 1) }
            let page = try store.listEndpoints(tenantId: tenantId, after: nil, limit: 1)
            let next = try #require(page.nextCursor)
            #expect(try store.listEndpoints(tenantId: tenantId, after: next, limit: 1).items.count == 1)
        }
    }

    /// A cursor of a listing passed to another whose keys are as long, of the same tenant, is
    /// refused: read as a place in it, it would skip what comes before.
    @Test func aCursorOfAnotherListingIsRefused() async throws {
        try await withSameMillisecondStore { store, tenantId in
            _ = try await Self.endpoint(store, tenantId)
            for _ in 0..<2 { _ = try await Self.post(store, tenantId) }
            let events = try #require(try store.listEvents(tenantId: tenantId, EventQuery(), after: nil, limit: 1).nextCursor)
            let deliveries = try #require(try store.listDeliveries(tenantId: tenantId, DeliveryQuery(), after: nil, limit: 1).nextCursor)
            #expect(events.text != deliveries.text)
            #expect(throws: QueryError.invalidCursor) { try store.listDeliveries(tenantId: tenantId, DeliveryQuery(), after: events, limit: 1) }
            #expect(throws: QueryError.invalidCursor) { try store.listEvents(tenantId: tenantId, EventQuery(), after: deliveries, limit: 1) }
            #expect(try store.listDeliveries(tenantId: tenantId, DeliveryQuery(), after: deliveries, limit: 1).items.count == 1)
            #expect(PageCursor(text: events.text) == events)
        }
    }

    /// A cursor's text for `key` of `table`'s listing, as the API spells it.
    private static func cursorText(_ table: ProjectionTable, _ key: [UInt8]) -> String {
        var text = Base64.encode([UInt8(table.ordinal)] + key)
        while text.hasSuffix("=") { text.removeLast() }
        return text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }

    private static func post(_ store: HooklogStore, _ tenantId: TenantID) async throws -> [DeliveryID] {
        let event = try await store.ingest(EventSubmission(tenantId: tenantId, type: "call.completed", rawBody: Array(#"{"data":{}}"#.utf8)))
        return event.deliveries.map(\.deliveryId)
    }

    private static func endpoint(_ store: HooklogStore, _ tenantId: TenantID) async throws -> EndpointID {
        try await store.createEndpoint(
            tenantId: tenantId, EndpointDraft(url: "https://receiver.example/hook", signingSecret: "whsec_AAAA"), nowMs: Self.sameMillisecond
        ).endpointId
    }

    private func withSameMillisecondStore(_ body: (HooklogStore, TenantID) async throws -> Void) async throws {
        try await withTemporaryFolder { path in
            var configuration = JournalConfiguration()
            configuration.clock = { Self.sameMillisecond }
            let store = try HooklogStore(path: path, initialMapSizeBytes: 1 << 20, configuration: configuration, logger: quietLogger)
            do {
                let tenantId = try await store.createTenant(name: "Callina", apiKeyHash: .zero, defaultSigningSecret: "whsec_AAAA", nowMs: Self.sameMillisecond)
                try await body(store, tenantId)
            } catch {
                await store.close()
                throw error
            }
            await store.close()
        }
    }
}
