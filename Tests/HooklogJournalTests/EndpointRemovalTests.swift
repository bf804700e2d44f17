import HooklogCore
import HooklogJournal
import HooklogTestSupport
import Testing

@Suite("Deleting or disabling an endpoint")
struct EndpointRemovalTests {
    /// A tenant with endpoints `doomed` and `kept`, each sent one event's delivery per event.
    private struct World {
        let store: HooklogStore
        let tenantId: TenantID
        let doomed: EndpointID
        let kept: EndpointID

        static func open(at path: String) async throws -> World {
            let store = try HooklogStore(path: path, initialMapSizeBytes: 1 << 20, logger: quietLogger)
            let tenantId = try await store.createTenant(name: "t", apiKeyHash: SHA256Hasher.digest([1]), defaultSigningSecret: "whsec_AAAA", nowMs: 1_000)
            let doomed = try await store.createEndpoint(tenantId: tenantId, EndpointDraft(url: "https://doomed.example/in", signingSecret: "whsec_BBBB"), nowMs: 1_000).endpointId
            let kept = try await store.createEndpoint(tenantId: tenantId, EndpointDraft(url: "https://kept.example/in", signingSecret: "whsec_CCCC"), nowMs: 1_000).endpointId
            return World(store: store, tenantId: tenantId, doomed: doomed, kept: kept)
        }

        /// One event; its delivery to `doomed` and to `kept`.
        func post() async throws -> (doomed: DeliveryID, kept: DeliveryID) {
            let event = try await self.store.ingest(EventSubmission(tenantId: self.tenantId, type: "call.completed", rawBody: Array(#"{"data":{}}"#.utf8)))
            let doomed = try #require(event.deliveries.first { $0.endpointId == self.doomed }?.deliveryId)
            let kept = try #require(event.deliveries.first { $0.endpointId == self.kept }?.deliveryId)
            return (doomed, kept)
        }

        func status(_ deliveryId: DeliveryID) throws -> (DeliveryStatus?, DeliveryCancelReason?) {
            let delivery = try self.store.read { try $0.projections.delivery(deliveryId) }
            return (delivery?.status, delivery?.cancelReason)
        }
    }

    @Test(arguments: [false, true])
    func itsWaitingDeliveriesAreCancelledAtOnceAndNoOthers(deleting: Bool) async throws {
        try await withTemporaryFolder { path in
            let world = try await World.open(at: path)
            let first = try await world.post()
            let second = try await world.post()
            // The first delivery to the doomed endpoint is in flight: it finishes, it is not cancelled.
            let started = try await world.store.startAttempts([first.doomed], nowMs: .max)
            #expect(started.map(\.deliveryId) == [first.doomed])
            if deleting {
                #expect(try await world.store.deleteEndpoint(world.doomed, tenantId: world.tenantId, nowMs: 2_000))
            } else {
                #expect(try await world.store.disableEndpoint(world.doomed, reason: .byUser, nowMs: 2_000))
            }
            let reason: DeliveryCancelReason = deleting ? .endpointDeleted : .endpointDisabled
            #expect(try world.status(second.doomed) == (.cancelled, reason))
            #expect(try world.status(first.doomed) == (.inFlight, nil))
            #expect(try world.status(first.kept) == (.pending, nil))
            #expect(try world.status(second.kept) == (.pending, nil))
            await world.store.close()
        }
    }
}
