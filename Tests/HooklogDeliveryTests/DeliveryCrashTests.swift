import Foundation
import HooklogCore
import HooklogJournal
import HooklogTestSupport
import Logging
import Synchronization
import Testing

@Suite("Delivery crash safety")
struct DeliveryCrashTests {
    @Test(.timeLimit(.minutes(4)))
    func killedDeliveringProcessStillDeliversEveryPlannedDelivery() async throws {
        let folder = NSTemporaryDirectory() + "hooklog-delivery-crash-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Each delivery's first try fails: every one goes through the retry schedule, so kills
        // land in backoffs and between a failure and its retry too, not only mid-attempt.
        let triedDeliveries = Mutex<Set<String>>([])
        let receiver = try await TestReceiver.start { request in
            let isFirstTry = triedDeliveries.withLock { $0.insert(Self.deliveryKey(of: request)).inserted }
            return .delayed(milliseconds: request.body.count % 15, .status(isFirstTry ? 503 : 200))
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
        for request in receiver.requests() { received[Self.deliveryKey(of: request), default: 0] += 1 }
        let attemptCounts = try store.read { snapshot in
            try planned.map { try snapshot.projections.delivery($0.deliveryId)?.attemptCount ?? 0 }
        }
        for (delivery, attemptCount) in zip(planned, attemptCounts) {
            // The first request was refused; every later one was taken.
            let takenCount = received[delivery.path + " " + delivery.eventId.description, default: 0] - 1
            #expect(takenCount >= 1, "delivery \(delivery.deliveryId) never arrived")
            #expect(attemptCount >= 2, "delivery \(delivery.deliveryId) succeeded without its retry: \(attemptCount) attempts")
            if takenCount > 1 {
                #expect(inFlightAtAKill.contains(delivery.deliveryId), "delivery \(delivery.deliveryId) was taken \(takenCount) times but was not in flight at a kill")
            }
        }
        await receiver.stop()
        await store.close()
    }

    /// Which delivery a request is: its endpoint's path and its event.
    private static func deliveryKey(of request: TestReceiver.Received) -> String {
        request.path + " " + (request.header("X-Callina-Event-Id") ?? "")
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
