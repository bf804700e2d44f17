import Foundation
import HooklogCore
import HooklogJournal
import HooklogTestSupport
import Logging
import Testing

@Suite("Delivery crash safety")
struct DeliveryCrashTests {
    @Test(.timeLimit(.minutes(4)))
    func killedDeliveringProcessStillDeliversEveryPlannedDelivery() async throws {
        let folder = NSTemporaryDirectory() + "hooklog-delivery-crash-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let receiver = try await TestReceiver.start { request in
            .delayed(milliseconds: request.body.count % 15, .status(200))
        }
        // One store in this process for setup and checks; the child opens the same environment.
        let store = try HooklogStore(path: folder, initialMapSizeBytes: 1 << 20, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let nowMs = JournalConfiguration.wallClockMs()
        let tenantId = try await store.createTenant(name: "t", apiKeyHash: .zero, defaultSigningSecret: "whsec_AAAA", nowMs: nowMs)
        var pathByEndpoint: [EndpointID: String] = [:]
        for path in ["/a", "/b", "/c"] {
            let endpointId = try await store.createEndpoint(
                tenantId: tenantId,
                EndpointDraft(url: receiver.baseURL + path, profile: "callina", signingSecret: "secret"),
                nowMs: nowMs
            ).endpointId
            pathByEndpoint[endpointId] = path
        }
        var planned: [(deliveryId: DeliveryID, eventId: EventID, path: String)] = []
        for index in 0..<500 {
            let body = Array(#"{"type":"call.completed","data":{"index":\#(index)}}"#.utf8)
            let event = try await store.ingest(EventSubmission(tenantId: tenantId, type: "call.completed", rawBody: body))
            planned += event.deliveries.map { ($0.deliveryId, event.eventId, pathByEndpoint[$0.endpointId!]!) }
        }

        var inFlightAtAKill: Set<DeliveryID> = []
        var killsDuringDelivery = 0
        for _ in 0..<4 {
            let process = try await DeliveringProcess.start(folder: folder, retrySchedule: "10ms,20ms,40ms,80ms,160ms,320ms")
            // Killed a little after its first attempts start, however slow the machine.
            let deadline = ContinuousClock.now.advanced(by: .seconds(5))
            while try Self.inFlight(store).isEmpty, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...60)))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            // An empty write takes LMDB's writer lock, recovering it from the dead child, so that
            // reads see the child's last commit.
            try store.environment.write { _ in }
            let inFlight = try Self.inFlight(store)
            if !inFlight.isEmpty { killsDuringDelivery += 1 }
            inFlightAtAKill.formUnion(inFlight)
            // What a kill mid-attempt left is what the log says: rebuilt from it, the same.
            let difference = try ProjectionCheck.firstDifference(in: store.environment, scratchPath: folder + "-check")
            #expect(difference == nil, "after a kill: \(difference ?? "")")
        }
        #expect(killsDuringDelivery >= 2, "only \(killsDuringDelivery) kills landed while attempts were in flight")

        let survivor = try await DeliveringProcess.start(folder: folder, retrySchedule: "10ms,20ms,40ms,80ms,160ms,320ms")
        defer { kill(survivor.processIdentifier, SIGKILL); survivor.waitUntilExit() }
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        while try Self.unfinished(store, planned.map(\.deliveryId)) > 0 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(try Self.unfinished(store, planned.map(\.deliveryId)) == 0)

        var received: [String: Int] = [:]
        for request in receiver.requests() {
            guard let eventId = request.header("X-Callina-Event-Id") else { continue }
            received[request.path + " " + eventId, default: 0] += 1
        }
        for delivery in planned {
            let count = received[delivery.path + " " + delivery.eventId.description, default: 0]
            #expect(count >= 1, "delivery \(delivery.deliveryId) never arrived")
            if count > 1 {
                #expect(inFlightAtAKill.contains(delivery.deliveryId), "delivery \(delivery.deliveryId) arrived \(count) times but was not in flight at a kill")
            }
        }
        await receiver.stop()
        await store.close()
    }

    private static func inFlight(_ store: HooklogStore) throws -> Set<DeliveryID> {
        try store.read { snapshot in
            var ids: Set<DeliveryID> = []
            try snapshot.projections.scan(.inFlight) { key, _ in
                if let id = DeliveryID(bytes: Array(key)) { ids.insert(id) }
                return true
            }
            return ids
        }
    }

    private static func unfinished(_ store: HooklogStore, _ deliveries: [DeliveryID]) throws -> Int {
        try store.read { snapshot in
            try deliveries.filter { try snapshot.projections.delivery($0)?.status != .succeeded }.count
        }
    }
}
