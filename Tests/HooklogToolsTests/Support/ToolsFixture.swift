import Foundation
import HooklogCore
import HooklogJournal
import HooklogTestSupport
import Logging
import Synchronization

/// A data directory in a fresh temporary folder, with a store on it, for the tools to work on.
struct ToolsFixture {
    static let quietLogger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    let path: String
    let store: HooklogStore

    /// Runs `body` with a new store in a temporary folder, closed and removed afterwards.
    static func withStore<R>(clock: ManualClock? = nil, _ body: (ToolsFixture) async throws -> R) async throws -> R {
        let path = NSTemporaryDirectory() + "hooklog-tools-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: path) }
        var configuration = JournalConfiguration()
        if let clock { configuration.clock = { clock.nowMs } }
        let store = try HooklogStore(path: path, initialMapSizeBytes: 1 << 20, configuration: configuration, logger: Self.quietLogger)
        do {
            let result = try await body(ToolsFixture(path: path, store: store))
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }

    /// The path of the built `hooklog` binary.
    static func hooklog() throws -> String {
        try BuiltProducts.executable("hooklog")
    }

    /// Runs `hooklog` with `arguments`, then `--data-dir` of this fixture.
    func hooklog(_ arguments: String...) async throws -> (status: Int32, output: String) {
        try await self.hooklog(arguments)
    }

    /// Runs `hooklog` with `arguments`, then `--data-dir` of this fixture.
    func hooklog(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await ChildProcess.run("/usr/bin/nice", Self.niced(arguments + ["--data-dir", self.path]))
    }

    /// The arguments of `/usr/bin/nice` that run `hooklog` with `arguments` at a low priority, so
    /// that the timing-sensitive tests running beside the tools' tests keep their processor.
    static func niced(_ arguments: [String]) throws -> [String] {
        ["-n", "10", try Self.hooklog()] + arguments
    }

    /// A tenant with a default signing secret.
    func tenant(_ name: String = "Callina GmbH", secret: String = "whsec_" + Base64.encode(Array(repeating: 1, count: 32))) async throws -> TenantID {
        try await self.store.createTenant(name: name, apiKeyHash: SHA256Hasher.digest(Array(name.utf8)), defaultSigningSecret: secret, nowMs: self.nowMs)
    }

    /// An endpoint of `tenantId`.
    func endpoint(of tenantId: TenantID, secret: String = "whsec_" + Base64.encode(Array(repeating: 2, count: 32)), bearerToken: String? = nil) async throws -> EndpointID {
        try await self.store.createEndpoint(
            tenantId: tenantId,
            EndpointDraft(url: "https://receiver.example/hook", profile: "standard", signingSecret: secret, bearerToken: bearerToken),
            nowMs: self.nowMs
        ).endpointId
    }

    /// Posts an event with `body`.
    @discardableResult
    func post(_ body: [UInt8], tenant tenantId: TenantID, type: String = "call.completed") async throws -> IngestedEvent {
        try await self.store.ingest(EventSubmission(tenantId: tenantId, type: type, rawBody: body, callId: "call_x"))
    }

    /// Starts the delivery's next attempt and finishes it with `status`; returns how it ended.
    @discardableResult
    func attempt(_ deliveryId: DeliveryID, answering status: Int, retryDelaysMs: [Int64] = [1_000]) async throws -> AttemptConclusion {
        let job = try require(try await self.store.startAttempts([deliveryId], nowMs: self.nowMs).first, "an attempt of \(deliveryId)")
        return try await self.store.finishAttempt(
            job,
            response: AttemptResponse(statusCode: status, errorKind: nil, errorMessage: nil, latencyMs: 12, responseExcerpt: Array("{}".utf8)),
            retries4xx: true,
            rules: DeliveryRules(retry: RetryPolicy(schedule: RetrySchedule(delaysMs: retryDelaysMs), jitterFraction: 0)),
            nowMs: self.nowMs
        )
    }

    var nowMs: UInt64 { JournalConfiguration.wallClockMs() }
}

/// A receipt clock that tests move by hand.
final class ManualClock: Sendable {
    private let value: Mutex<UInt64>

    init(_ startMs: UInt64) {
        self.value = Mutex(startMs)
    }

    var nowMs: UInt64 { self.value.withLock { $0 } }

    func set(_ ms: UInt64) {
        self.value.withLock { $0 = ms }
    }
}

/// Thrown by `#require`-like helpers outside of `Testing`.
struct FixtureError: Error, CustomStringConvertible {
    let description: String
}

/// The value, or a `FixtureError` saying what was missing.
func require<Value>(_ value: Value?, _ what: @autoclosure () -> String = "a value") throws -> Value {
    guard let value else { throw FixtureError(description: "missing \(what())") }
    return value
}
