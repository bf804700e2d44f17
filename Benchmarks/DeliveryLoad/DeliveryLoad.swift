// Measures the delivery engine outside the test suite:
//
//   DeliveryLoad throughput <folder> <receiver-url> <deliveries>
//       ingests the events, then times the scheduler and dispatcher until every delivery succeeded.
//   DeliveryLoad client-only <receiver-url> <requests>
//       sends as many signed-size POSTs through the same HTTP client, 64 at a time, with no
//       journal, scheduler or signing: the ceiling AsyncHTTPClient itself sets on this machine.
//   DeliveryLoad seed <folder> <deliveries>
//       ingests events whose deliveries go to an endpoint that never answers.
//   DeliveryLoad resident <folder> <seconds>
//       opens that store in a fresh process, runs the scheduler for a while and prints its
//       resident memory while the deliveries wait in the due index.
import Foundation
import HooklogCore
import HooklogDelivery
import HooklogJournal
import Logging
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

@main
enum DeliveryLoad {
    static let logger: Logger = {
        var logger = Logger(label: "delivery-load")
        logger.logLevel = .warning
        return logger
    }()

    static func main() async throws {
        // As `hooklog serve` runs: tasks on the event loops that do the sockets' I/O.
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        let arguments = CommandLine.arguments
        switch (arguments.count, arguments.dropFirst().first) {
        case (5, "throughput"):
            try await Self.throughput(folder: arguments[2], receiverURL: arguments[3], deliveries: Int(arguments[4])!)
        case (4, "client-only"):
            try await Self.clientOnly(receiverURL: arguments[2], requests: Int(arguments[3])!)
        case (4, "seed"):
            try await Self.seed(folder: arguments[2], deliveries: Int(arguments[3])!)
        case (4, "resident"):
            try await Self.resident(folder: arguments[2], seconds: Int(arguments[3])!)
        default:
            fatalError("usage: DeliveryLoad throughput <folder> <receiver-url> <n> | client-only <receiver-url> <n> | seed <folder> <n> | resident <folder> <seconds>")
        }
    }

    static func throughput(folder: String, receiverURL: String, deliveries: Int) async throws {
        let store = try HooklogStore(path: folder, configuration: JournalConfiguration(maxBatchDelayUs: 0), logger: Self.logger)  // as `serve` commits
        let tenantId = try await Self.tenantWithEndpoint(store, url: receiverURL)
        let ingestSeconds = try await Self.ingest(store, tenantId: tenantId, count: deliveries)
        print("ingested \(deliveries) events in \(Self.format(ingestSeconds)) s: \(Int(Double(deliveries) / ingestSeconds)) events/s")

        // One endpoint, 64 attempts at a time over 64 connections, as wrk has: the per-endpoint
        // limit does the pacing, as it does in service.
        let configuration = DispatchConfiguration(maxConcurrentAttempts: 2_048, maxConcurrentAttemptsPerEndpoint: 64, allowsPrivateNetworks: true)
        let client = WebhookHTTPClient(maxConnectionsPerHost: 64)
        let scheduler = Self.scheduler(store, client: client, configuration: configuration)
        let startedAt = ContinuousClock.now
        let running = Task { try await scheduler.run() }
        while try store.nextDueAtMs() != nil || scheduler.attemptsInFlight > 0 {
            try await Task.sleep(for: .milliseconds(20))
        }
        let seconds = Self.seconds(startedAt.duration(to: .now))
        running.cancel()
        _ = await running.result
        let failed = try store.read { snapshot in
            var count = 0
            try snapshot.projections.scan(.deliveries) { _, value in
                if (try? DeliveryState(decoding: Array(value)))?.status != .succeeded { count += 1 }
                return true
            }
            return count
        }
        print("delivered \(deliveries) in \(Self.format(seconds)) s: \(Int(Double(deliveries) / seconds)) successful deliveries/s (\(failed) not succeeded)")
        try await client.shutdown()
        await store.close()
    }

    /// What the HTTP client alone gets from the receiver: 64 tasks, each sending its share of
    /// `requests` one after another, as the dispatcher's 64 slots for one endpoint do.
    static func clientOnly(receiverURL: String, requests: Int) async throws {
        let client = WebhookHTTPClient(maxConnectionsPerHost: 64)
        let body = Array(#"{"type":"call.completed","timestamp":"2026-11-27T02:00:00.000Z","data":{"from":"+43660123456789","to":"+43662275123","duration_seconds":174,"outcome":"completed","summary":"Caller booked an appointment for Thursday 9:30 with Dr. Steinhauser","structured_fields":{"caller_name":"Maria Steinhauser","intent":"appointment_booking"}}}"#.utf8)
        let headers = [
            WireHeader(name: "content-type", value: "application/json"),
            WireHeader(name: "webhook-id", value: "evt_01JDQ8Z6W1M4K3B2A9C8D7E6F5"),
            WireHeader(name: "webhook-timestamp", value: "1795744800"),
            WireHeader(name: "webhook-signature", value: "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="),
        ]
        let request = OutboundRequest(url: receiverURL, headers: headers, body: body, timeoutMs: 30_000)
        let tasks = 64
        let startedAt = ContinuousClock.now
        let succeeded = try await withThrowingTaskGroup(of: Int.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    var succeeded = 0
                    for _ in stride(from: task, to: requests, by: tasks) {
                        if await client.send(request).statusCode == 200 { succeeded += 1 }
                    }
                    return succeeded
                }
            }
            return try await group.reduce(0, +)
        }
        let seconds = Self.seconds(startedAt.duration(to: .now))
        print("client alone: \(requests) requests in \(Self.format(seconds)) s: \(Int(Double(succeeded) / seconds)) successful requests/s (\(requests - succeeded) not 200)")
        try await client.shutdown()
    }

    static func seed(folder: String, deliveries: Int) async throws {
        let store = try HooklogStore(path: folder, logger: Self.logger)
        // Nothing listens there while seeding; the resident run puts a silent listener on it.
        let tenantId = try await Self.tenantWithEndpoint(store, url: "http://127.0.0.1:19099/never")
        let seconds = try await Self.ingest(store, tenantId: tenantId, count: deliveries)
        print("seeded \(deliveries) waiting deliveries in \(Self.format(seconds)) s")
        await store.close()
    }

    static func resident(folder: String, seconds: Int) async throws {
        print("resident before opening: \(Self.residentMiB()) MiB")
        let listener = try SilentListener(port: 19099)
        let store = try HooklogStore(path: folder, logger: Self.logger)
        let waiting = try store.read { try $0.projections.transaction.entryCount(of: store.projections[.due]) }
        let configuration = DispatchConfiguration(requestTimeoutMs: 60_000, maxConcurrentAttempts: 256, allowsPrivateNetworks: true)
        let client = WebhookHTTPClient()
        let scheduler = Self.scheduler(store, client: client, configuration: configuration)
        let running = Task { try await scheduler.run() }
        try await Task.sleep(for: .seconds(seconds))
        let inFlight = scheduler.attemptsInFlight
        print("due index: \(waiting) waiting deliveries; \(inFlight) attempts in flight after \(seconds) s")
        print("resident with the scheduler running: \(Self.residentMiB()) MiB")
        running.cancel()
        _ = await running.result
        try await client.shutdown()
        await store.close()
        withExtendedLifetime(listener) {}
    }

    static func tenantWithEndpoint(_ store: HooklogStore, url: String) async throws -> TenantID {
        let nowMs = JournalConfiguration.wallClockMs()
        let tenantId = try await store.createTenant(name: "load", apiKeyHash: .zero, defaultSigningSecret: "whsec_AAAA", nowMs: nowMs)
        let secret = "whsec_" + Base64.encode([UInt8](repeating: 7, count: 32))
        _ = try await store.createEndpoint(tenantId: tenantId, EndpointDraft(url: url, signingSecret: secret), nowMs: nowMs).endpointId
        return tenantId
    }

    /// Ingests `count` ~300-byte events from 256 concurrent tasks; returns the seconds it took.
    static func ingest(_ store: HooklogStore, tenantId: TenantID, count: Int) async throws -> Double {
        let body = Array(#"{"type":"call.completed","data":{"from":"+43660123456789","to":"+43662275123","duration_seconds":174,"outcome":"completed","summary":"Caller booked an appointment for Thursday 9:30 with Dr. Steinhauser","structured_fields":{"caller_name":"Maria Steinhauser","intent":"appointment_booking"}}}"#.utf8)
        let startedAt = ContinuousClock.now
        let tasks = 256
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    for _ in stride(from: task, to: count, by: tasks) {
                        _ = try await store.ingest(EventSubmission(tenantId: tenantId, type: "call.completed", rawBody: body, callId: "call_x1y2z3"))
                    }
                }
            }
            try await group.waitForAll()
        }
        return Self.seconds(startedAt.duration(to: .now))
    }

    static func scheduler(_ store: HooklogStore, client: WebhookHTTPClient, configuration: DispatchConfiguration) -> DeliveryScheduler {
        let profiles = try! WireProfileCatalog.load(folder: Self.configFolder + "/profiles")
        let dispatcher = AttemptDispatcher(store: store, client: client, profiles: profiles, configuration: configuration, logger: Self.logger)
        return DeliveryScheduler(store: store, dispatcher: dispatcher, configuration: configuration, logger: Self.logger)
    }

    static let configFolder = ProcessInfo.processInfo.environment["HOOKLOG_CONFIG_DIR"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Config").path

    static func residentMiB() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func format(_ seconds: Double) -> String { String(format: "%.2f", seconds) }
}

/// A loopback TCP port that accepts connections into its backlog and never answers.
final class SilentListener {
    let descriptor: Int32

    init(port: UInt16) throws {
        self.descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var reuse: Int32 = 1
        setsockopt(self.descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(self.descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(self.descriptor, 4096) == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
    }

    deinit { close(self.descriptor) }
}
