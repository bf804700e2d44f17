import Foundation
import HooklogCore
import HooklogDelivery
import HooklogTestSupport
import HooklogJournal
import Logging

/// A whole delivery pipeline on loopback: a store in a temp folder, the scheduler and dispatcher
/// running, and a real receiver answering as the test scripts it. Retries run on a millisecond
/// schedule.
final class DeliveryHarness: Sendable {
    static let configFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Config").path
    static let tenantSigningSecret = "whsec_" + Base64.encode(Array(repeating: 9, count: 32))

    let folder: String
    let store: HooklogStore
    let receiver: TestReceiver
    let client: WebhookHTTPClient
    let tenantId: TenantID
    let scheduler: DeliveryScheduler
    private let schedulerTask: Task<Void, any Error>

    private init(
        folder: String,
        store: HooklogStore,
        receiver: TestReceiver,
        client: WebhookHTTPClient,
        tenantId: TenantID,
        scheduler: DeliveryScheduler,
        schedulerTask: Task<Void, any Error>
    ) {
        self.folder = folder
        self.store = store
        self.receiver = receiver
        self.client = client
        self.tenantId = tenantId
        self.scheduler = scheduler
        self.schedulerTask = schedulerTask
    }

    /// Starts everything; `script` is the receiver's behaviour.
    static func start(
        retrySchedule: String = "20ms,40ms,80ms",
        // Well past any answer a test scripts, however loaded the machine: a timeout would be
        // retried, and one request too many counted. Tests about timeouts give their own.
        requestTimeoutMs: Int64 = 5_000,
        maxConcurrentAttempts: Int = 2_048,
        maxConcurrentAttemptsPerEndpoint: Int = 32,
        dueScanWindow: Int = 1_024,
        allowsPrivateNetworks: Bool = true,
        healthPolicy: EndpointHealthPolicy = EndpointHealthPolicy(),
        folder: String? = nil,
        profilesFolder: String = DeliveryHarness.configFolder + "/profiles",
        logger: Logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
        script: @escaping TestReceiver.Script = { _ in .status(200) }
    ) async throws -> DeliveryHarness {
        let folder = folder ?? NSTemporaryDirectory() + "hooklog-delivery-" + UUID().uuidString
        let store = try HooklogStore(path: folder, initialMapSizeBytes: 4 << 20, logger: logger)
        let receiver = try await TestReceiver.start(script)
        let client = WebhookHTTPClient()
        let configuration = DispatchConfiguration(
            requestTimeoutMs: requestTimeoutMs,
            maxConcurrentAttempts: maxConcurrentAttempts,
            maxConcurrentAttemptsPerEndpoint: maxConcurrentAttemptsPerEndpoint,
            rules: DeliveryRules(retry: RetryPolicy(schedule: try RetrySchedule(parsing: retrySchedule)), health: healthPolicy),
            allowsPrivateNetworks: allowsPrivateNetworks,
            dueScanWindow: dueScanWindow
        )
        let dispatcher = AttemptDispatcher(
            store: store,
            client: client,
            profiles: try WireProfileCatalog.load(folder: profilesFolder),
            configuration: configuration,
            logger: logger
        )
        let scheduler = DeliveryScheduler(store: store, dispatcher: dispatcher, configuration: configuration, logger: logger)
        let tenantId = try await store.createTenant(
            name: "Callina GmbH",
            apiKeyHash: SHA256Hasher.digest(Array("key".utf8)),
            defaultSigningSecret: Self.tenantSigningSecret,
            nowMs: JournalConfiguration.wallClockMs()
        )
        let task = Task { try await scheduler.run() }
        return DeliveryHarness(folder: folder, store: store, receiver: receiver, client: client, tenantId: tenantId, scheduler: scheduler, schedulerTask: task)
    }

    /// An endpoint at `path` of the receiver.
    func endpoint(
        _ path: String,
        profile: String = "standard",
        events: [String] = ["*"],
        secret: String? = nil,
        bearerToken: String? = nil,
        url: String? = nil
    ) async throws -> EndpointID {
        let secret = secret ?? (profile == "standard" ? "whsec_" + Base64.encode(Array(repeating: 3, count: 32)) : "secret-\(path)")
        return try await self.store.createEndpoint(
            tenantId: self.tenantId,
            EndpointDraft(url: url ?? self.receiver.baseURL + path, enabledEvents: events, profile: profile, signingSecret: secret, bearerToken: bearerToken),
            nowMs: JournalConfiguration.wallClockMs()
        ).endpointId
    }

    /// Posts an event as the API would journal it.
    @discardableResult
    func post(
        _ type: String = "call.completed",
        data: String = #"{"from":"+43660123456789","duration_seconds":174}"#,
        callId: String? = "call_x1y2z3",
        metadata: String? = nil,
        idempotencyKey: String? = nil,
        webhookURL: String? = nil
    ) async throws -> IngestedEvent {
        var body = #"{"type":"\#(type)","data":\#(data)"#
        if let metadata { body += #","metadata":\#(metadata)"# }
        body += "}"
        return try await self.store.ingest(
            EventSubmission(
                tenantId: self.tenantId,
                type: type,
                rawBody: Array(body.utf8),
                occurredAtMs: 1_778_337_175_000,
                callId: callId,
                idempotencyKey: idempotencyKey,
                webhookURL: webhookURL
            )
        )
    }

    /// The delivery's state once `done` says so, or after `timeoutMs` (whatever it is then).
    func waitForDelivery(
        _ deliveryId: DeliveryID,
        timeoutMs: Int = 10_000,
        until done: (DeliveryState) -> Bool = { [.succeeded, .failed, .cancelled].contains($0.status) }
    ) async throws -> DeliveryState {
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(timeoutMs))
        while true {
            let state = try self.store.read { try $0.projections.delivery(deliveryId) }
            if let state, done(state) || ContinuousClock.now >= deadline { return state }
            if state == nil && ContinuousClock.now >= deadline { throw HarnessError(description: "no delivery \(deliveryId)") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// The endpoint's state.
    func endpointState(_ endpointId: EndpointID) throws -> EndpointState? {
        try self.store.read { try $0.projections.endpoint(endpointId) }
    }

    /// Stops the scheduler, the client, the store and the receiver, and removes the folder.
    func stop(removingFolder: Bool = true) async {
        self.schedulerTask.cancel()
        _ = await self.schedulerTask.result
        try? await self.client.shutdown()
        await self.store.close()
        await self.receiver.stop()
        if removingFolder { try? FileManager.default.removeItem(atPath: self.folder) }
    }

    struct HarnessError: Error, CustomStringConvertible {
        let description: String
    }
}
