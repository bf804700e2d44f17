import Foundation
import HooklogTestSupport
import NIOHTTP1
import HooklogAPI
import HooklogCore
import HooklogDelivery
import HooklogJournal
import Hummingbird
import Logging
import Prometheus
import Testing

@Suite("Health, readiness, metrics and the OpenAPI document")
struct OperationsTests {
    @Test(.timeLimit(.minutes(1)))
    func testHealthReadinessAndMetrics() async throws {
        try await withAPIHarness { hooklog in
            #expect(try await hooklog.request(.GET, "/healthz").status == 200)
            let ready = try await hooklog.request(.GET, "/readyz")
            #expect(ready.status == 200)
            #expect(ready.json["status"] as? String == "ready")

            let key = try await hooklog.createTenant()
            _ = try await hooklog.createEndpoint(key: key, path: "/hook")
            _ = try await hooklog.postEvent(key: key)
            _ = try await hooklog.postEvent(key: key)
            _ = try await hooklog.receiver.waitForRequests(2, on: "/hook")
            #expect(try await hooklog.request(.GET, "/metrics").status == 401)
            #expect(try await hooklog.request(.GET, "/metrics", key: key).status == 403, "metrics count across tenants")
            let metrics = try await hooklog.waitFor("/metrics", key: APIHarness.adminKey) {
                String(decoding: $0.body, as: UTF8.self).contains(#"hooklog_deliveries_total{outcome="succeeded"} 2"#)
            }
            #expect(metrics.headers["content-type"]?.hasPrefix("text/plain") == true)
            let text = metrics.text
            for expected in [
                "hooklog_events_accepted_total 2",
                #"hooklog_attempts_total{result="2xx"} 2"#,
                "hooklog_attempt_latency_seconds_count 2",
                "hooklog_deliveries_waiting 0",
                "hooklog_attempts_in_flight 0",
                #"hooklog_due_lag_seconds{lane="live"} 0"#,
                "hooklog_journal_commit_failures_total 0",
                #"hooklog_attempt_errors_total{kind="timeout"} 0"#,
                "hooklog_journal_commit_seconds_count",
                "hooklog_journal_batch_requests_count",
            ] {
                #expect(text.contains(expected), "\(expected) is missing from /metrics")
            }
            #expect(!text.contains(key), "an API key leaked into /metrics")
        }
    }

    /// The delivery queue as an operator watches it: attempts in flight, deliveries waiting, and
    /// how long the earliest of them has been due (an endpoint that takes one attempt at a time
    /// and answers slowly leaves the rest waiting past their time).
    @Test(.timeLimit(.minutes(1)))
    func theDeliveryQueueIsMeasuredInFlightWaitingAndLate() async throws {
        let hooklog = try await APIHarness.start(maxConcurrentAttemptsPerEndpoint: 1, script: { _ in .delayed(milliseconds: 3_000, .status(200)) })
        let key = try await hooklog.createTenant()
        _ = try await hooklog.createEndpoint(key: key, path: "/slow")
        for _ in 0..<3 { _ = try await hooklog.postEvent(key: key) }
        _ = try await hooklog.receiver.waitForRequests(1, on: "/slow")
        try await Task.sleep(for: .milliseconds(300))
        let text = try await hooklog.request(.GET, "/metrics", key: APIHarness.adminKey).text
        #expect(text.contains("hooklog_attempts_in_flight 1") && text.contains("hooklog_deliveries_waiting 2"), "\(text)")
        let lag = try #require(text.firstMatch(of: /hooklog_due_lag_seconds\{lane="live"\} ([0-9.e+-]+)/).flatMap { Double($0.1) }, "\(text)")
        #expect(lag >= 0.3 && lag < 60, "the earliest waiting delivery has been due since it was posted: \(lag)")
        #expect(text.contains(#"hooklog_due_lag_seconds{lane="replay"} 0"#), "no replay waits")
        await hooklog.stop()
    }

    /// A delivery that runs out of retries is told in the log at info, with the ids that find it
    /// and why; the attempts before it only at debug.
    @Test(.timeLimit(.minutes(1)))
    func aDeliveryThatFailsForGoodIsLoggedWithItsIds() async throws {
        let messages = RecordingLogHandler.Messages()
        let hooklog = try await APIHarness.start(retrySchedule: "10ms", logger: RecordingLogHandler.logger(into: messages), script: { _ in .status(503) })
        let key = try await hooklog.createTenant()
        let endpoint = try await hooklog.createEndpoint(key: key, path: "/down").id
        let eventId = try #require(try await hooklog.postEvent(key: key).json["id"] as? String)
        _ = try await hooklog.waitFor("/v1/deliveries?status=failed", key: key) { $0.items.count == 1 }
        await hooklog.stop()
        #expect(messages.count(at: .info, containing: "delivery failed for good") == 1)
        for fact in [endpoint, eventId, "failed (retries_exhausted)", "503"] {
            #expect(messages.count(at: .info, containing: "delivery failed for good", fact) == 1, "\(fact) is in the line")
        }
        #expect(messages.count(at: .info, containing: "attempt finished") == 0)
    }

    /// An endpoint Hooklog disables is counted by reason and told in the service's log: its
    /// `endpoint.disabled` event reaches only the tenant's other endpoints, here none.
    @Test(.timeLimit(.minutes(1)))
    func anEndpointHooklogDisablesIsCountedAndLogged() async throws {
        let messages = RecordingLogHandler.Messages()
        let hooklog = try await APIHarness.start(logger: RecordingLogHandler.logger(into: messages), script: { _ in .status(410) })
        let key = try await hooklog.createTenant()
        let endpoint = try await hooklog.createEndpoint(key: key, path: "/gone").id
        _ = try await hooklog.postEvent(key: key)
        let metrics = try await hooklog.waitFor("/metrics", key: APIHarness.adminKey) {
            $0.text.contains(#"hooklog_endpoints_disabled_total{reason="gone"} 1"#)
        }
        #expect(metrics.text.contains(#"hooklog_endpoints_disabled_total{reason="by_user"} 0"#))
        #expect(messages.count(at: .warning, containing: "Hooklog disabled an endpoint") == 1)
        #expect(messages.count(at: .warning, containing: endpoint) == 1)
        #expect(messages.count(at: .warning, containing: "Optional(") == 0, "ids are shown as ids")
        await hooklog.stop()
    }

    /// The catalog is listed to any key, in its file's order; every type it lists but Hooklog's
    /// own can be posted, and that one cannot.
    @Test(.timeLimit(.minutes(1)))
    func testTheEventTypeCatalogIsListedToAnyKey() async throws {
        try await withAPIHarness { hooklog in
            let key = try await hooklog.createTenant()
            #expect(try await hooklog.request(.GET, "/v1/event_types").status == 401)
            let listed = try await hooklog.request(.GET, "/v1/event_types", key: key)
            #expect(listed.status == 200 && listed.json.keys.contains("next_cursor") && !(listed.json["next_cursor"] is String))
            let file = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: APIHarness.configFolder + "/event-types.json"))) as? [[String: Any]]
            #expect(listed.items.map { $0["type"] as? String } == file?.map { $0["type"] as? String })
            #expect(listed.items.allSatisfy { ($0["description"] as? String)?.isEmpty == false })
            #expect(listed.items.filter { $0["emitted_by_hooklog"] as? Bool == true }.map { $0["type"] as? String } == ["endpoint.disabled"])
            for item in listed.items {
                let type = try #require(item["type"] as? String)
                let posted = try await hooklog.postEvent(key: key, type: type)
                #expect(posted.status == (item["emitted_by_hooklog"] as? Bool == true ? 422 : 202), "\(type)")
            }
            #expect(try await hooklog.request(.GET, "/v1/event_types", key: APIHarness.adminKey).items.count == listed.items.count)
        }
    }

    /// A stop takes readiness away at once, so that a load balancer sends no more requests, not
    /// once the attempts in flight (here one taking 3 s) have drained.
    @Test(.timeLimit(.minutes(1)))
    func aStopTakesReadinessAwayAtOnceWhileAttemptsDrain() async throws {
        let messages = RecordingLogHandler.Messages()
        let hooklog = try await APIHarness.start(
            requestTimeoutMs: 10_000, logger: RecordingLogHandler.logger(into: messages), script: { _ in .delayed(milliseconds: 3_000, .status(200)) }
        )
        let key = try await hooklog.createTenant()
        _ = try await hooklog.createEndpoint(key: key, path: "/slow")
        _ = try await hooklog.postEvent(key: key)
        _ = try await hooklog.receiver.waitForRequests(1, on: "/slow")
        #expect(try await hooklog.request(.GET, "/readyz").status == 200)
        let stopAskedAt = ContinuousClock.now
        await hooklog.beginStop()
        var readiness = try await hooklog.request(.GET, "/readyz")
        while readiness.status == 200 && stopAskedAt.duration(to: .now) < .seconds(2) {
            try await Task.sleep(for: .milliseconds(10))
            readiness = try await hooklog.request(.GET, "/readyz")
        }
        #expect(readiness.status == 503 && readiness.errorCode == "not_ready", "still ready while the attempt drained")
        await hooklog.stop()
        #expect(messages.count(at: .error, containing: "request failed") == 0, "a probe answered not ready is no failure")
    }

    /// Every answer tells caches not to keep it: some hold a secret shown once (an API key, a
    /// signing secret), the rest a tenant's data (raw event bodies, URLs with tokens), errors too
    /// (they quote the request).
    @Test(.timeLimit(.minutes(1)))
    func testEveryAnswerToAKeyIsKeptByNoCache() async throws {
        try await withAPIHarness { hooklog in
            let created = try await hooklog.request(.POST, "/v1/tenants", key: APIHarness.adminKey, body: #"{"name":"Callina"}"#)
            let tenantId = try #require(created.json["id"] as? String)
            let rotatedKey = try await hooklog.request(.POST, "/v1/tenants/\(tenantId)/rotate_api_key", key: APIHarness.adminKey)
            let key = try #require(rotatedKey.json["api_key"] as? String)
            let endpoint = try await hooklog.request(.POST, "/v1/endpoints", key: key, body: #"{"url":"\#(hooklog.receiver.baseURL)/hook"}"#)
            let endpointId = try #require(endpoint.json["id"] as? String)
            let rotatedSecret = try await hooklog.request(.POST, "/v1/endpoints/\(endpointId)/rotate_secret", key: key)
            let event = try await hooklog.postEvent(key: key)
            let eventId = try #require(event.json["id"] as? String)
            let reads = [
                ("event", try await hooklog.request(.GET, "/v1/events/\(eventId)", key: key)),
                ("events", try await hooklog.request(.GET, "/v1/events", key: key)),
                ("deliveries", try await hooklog.request(.GET, "/v1/deliveries", key: key)),
                ("endpoints", try await hooklog.request(.GET, "/v1/endpoints", key: key)),
                ("export", try await hooklog.request(.GET, "/v1/export", key: key)),
            ]
            let secrets = [("tenant", created), ("rotate_api_key", rotatedKey), ("endpoint", endpoint), ("rotate_secret", rotatedSecret), ("event posted", event)]
            for (name, answer) in secrets + reads {
                #expect(answer.status < 300 && answer.headers["cache-control"] == "no-store", "\(name): \(answer.status) \(answer.headers)")
            }
            let refused = try await hooklog.request(.GET, "/v1/events/evt_01jv8m2k3q4r5s6t7v8w9x0y1z", key: key)
            #expect(refused.status == 404 && refused.headers["cache-control"] == "no-store", "\(refused.headers)")
        }
    }

    /// The log is counted every second while no one scrapes, so that a scrape after a long
    /// quiet spell reads a moment's records, not every one since the last scrape.
    @Test(.timeLimit(.minutes(1)))
    func testTheLogIsCountedBetweenScrapes() async throws {
        let folder = NSTemporaryDirectory() + "hooklog-metrics-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (store, metrics, retry) = try await Self.countedStoreWithOneDelivery(at: folder)
        #expect(try await retry(1) != .notFound)

        let counting = Task { try await MetricsCountingService(metrics: metrics, store: store, logger: Self.quietLogger).run() }
        defer { counting.cancel() }
        let counted = #"hooklog_deliveries_total{outcome="retry_scheduled"} 1"#
        var text = ""
        for _ in 0..<250 where !text.contains(counted) {
            try await Task.sleep(for: .milliseconds(20))
            // The registry as it stands, without the count a scrape makes.
            text = String(decoding: metrics.registry.emitToBuffer(), as: UTF8.self)
        }
        #expect(text.contains(counted), "\(text)")
        counting.cancel()
        _ = await counting.result
        await store.close()
    }

    /// A count that fails midway keeps what it counted, and an entry whose header cannot be
    /// read is stepped past: nothing is counted twice and counting does not stop for good.
    @Test(.timeLimit(.minutes(1)))
    func testADamagedEntryIsCountedPastAndNothingTwice() async throws {
        let folder = NSTemporaryDirectory() + "hooklog-metrics-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (store, metrics, retry) = try await Self.countedStoreWithOneDelivery(at: folder)
        var retrySequences: [UInt64] = []
        for offsetMs: UInt64 in 1...3 {
            #expect(try await retry(offsetMs) != .notFound)
            retrySequences.append(try store.journal.reader.head().sequence)
        }
        await store.close()
        try store.environment.write { transaction in
            try transaction.put([1, 2, 3], forKey: LogEntryLayout.key(retrySequences[1]), in: store.environment.database(LogReader.databaseName))
        }

        #expect(throws: LogFormatError.self) { try metrics.countAppended(store: store) }
        try metrics.countAppended(store: store)
        try metrics.countAppended(store: store)
        let text = String(decoding: metrics.registry.emitToBuffer(), as: UTF8.self)
        #expect(text.contains(#"hooklog_deliveries_total{outcome="retry_scheduled"} 2"#), "\(text)")
    }

    @Test(.timeLimit(.minutes(1)))
    func testEveryRouteIsInTheOpenAPIDocumentAndViceVersa() async throws {
        let folder = NSTemporaryDirectory() + "hooklog-openapi-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try HooklogStore(path: folder, initialMapSizeBytes: 1 << 20, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let environment = APIEnvironment(
            store: store,
            configuration: HooklogConfiguration(configDirectory: APIHarness.configFolder),
            profiles: try WireProfileCatalog.load(folder: APIHarness.configFolder + "/profiles"),
            eventTypes: EventTypeCatalog(entries: []),
            metrics: HooklogMetrics(),
            isReady: { true }
        )
        let router = buildRouter(environment)
        let routed = Set(router.routes.map { route in
            let path = route.path.description.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
            return "\(route.method.rawValue.lowercased()) /" + path.joined(separator: "/")
        })
        let documented = Self.documentedOperations(String(decoding: OpenAPIDocument.bytes, as: UTF8.self))
        #expect(!routed.isEmpty)
        #expect(routed.subtracting(documented).isEmpty, "routes missing from openapi.yaml: \(routed.subtracting(documented).sorted())")
        #expect(documented.subtracting(routed).isEmpty, "documented but not routed: \(documented.subtracting(routed).sorted())")
        await store.close()
    }

    /// Every route that refuses a key of the wrong kind (the admin key on a tenant's route, a
    /// tenant's key on the admin's) with a 403 lists the 403 in the document.
    @Test(.timeLimit(.minutes(1)))
    func testEveryRouteThatRefusesAKeyOfTheWrongKindDocumentsIts403() async throws {
        try await withAPIHarness { hooklog in
            let tenantKey = try await hooklog.createTenant()
            let statuses = Self.documentedStatuses(String(decoding: OpenAPIDocument.bytes, as: UTF8.self))
            var refused: [String] = []
            for operation in statuses.keys.sorted() {
                let parts = operation.split(separator: " ", maxSplits: 1).map(String.init)
                let method = HTTPMethod(rawValue: parts[0].uppercased())
                let path = parts[1].replacingOccurrences(of: "{id}", with: "x")
                let body = ["post", "patch"].contains(parts[0]) ? "{}" : nil
                for key in [APIHarness.adminKey, tenantKey] where try await hooklog.request(method, path, key: key, body: body).status == 403 {
                    refused.append(operation)
                    #expect(statuses[operation]?.contains("403") == true, "\(operation) answers 403 but does not list it")
                }
            }
            #expect(refused.count >= 15, "\(refused)")
        }
    }

    /// Every `/v1` operation (the document lists exactly the routes) refuses a query parameter it
    /// does not take before doing anything: `POST /v1/replays?tenant_id=…` from the admin would
    /// otherwise re-send every tenant's window.
    @Test(.timeLimit(.minutes(1)))
    func testEveryV1RouteRefusesAQueryParameterItDoesNotTake() async throws {
        try await withAPIHarness { hooklog in
            let tenantKey = try await hooklog.createTenant()
            let operations = Self.documentedOperations(String(decoding: OpenAPIDocument.bytes, as: UTF8.self))
            let v1 = operations.filter { $0.contains(" /v1/") }.sorted()
            #expect(v1.count >= 19, "\(v1)")
            for operation in v1 {
                let parts = operation.split(separator: " ", maxSplits: 1).map(String.init)
                let method = HTTPMethod(rawValue: parts[0].uppercased())
                let path = parts[1].replacingOccurrences(of: "{id}", with: "x") + "?unlisted=1"
                let body = ["post", "patch"].contains(parts[0]) ? "{}" : nil
                var refusedParameter = false
                for key in [APIHarness.adminKey, tenantKey] {
                    let answer = try await hooklog.request(method, path, key: key, body: body)
                    guard answer.status != 403 else { continue }  // the other kind of key's route
                    let said = (answer.json["error"] as? [String: Any])?["message"] as? String ?? ""
                    #expect(answer.status == 400 && said.hasPrefix("unlisted is not a parameter of this route"), "\(operation): \(answer.status) \(said)")
                    refusedParameter = true
                }
                #expect(refusedParameter, "\(operation) took neither key")
            }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func testTheDocumentIsServedAndIsOpenAPI31() async throws {
        try await withAPIHarness { hooklog in
            #expect(try await hooklog.request(.GET, "/openapi.yaml").status == 401)
            let answer = try await hooklog.request(.GET, "/openapi.yaml", key: try await hooklog.createTenant())
            #expect(answer.status == 200)
            #expect(answer.text.hasPrefix("openapi: 3.1"))
        }
    }

    private static let quietLogger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A store at `folder` holding one pending delivery, metrics counting what follows, and a
    /// manual retry of that delivery, `offsetMs` after its creation.
    private static func countedStoreWithOneDelivery(
        at folder: String
    ) async throws -> (HooklogStore, HooklogMetrics, retry: (_ offsetMs: UInt64) async throws -> DeliveryRetryOutcome) {
        let store = try HooklogStore(path: folder, initialMapSizeBytes: 1 << 20, logger: Self.quietLogger)
        let metrics = HooklogMetrics()
        try metrics.startCounting(after: store)
        let nowMs = JournalConfiguration.wallClockMs()
        let tenantId = try await store.createTenant(name: "Callina", apiKeyHash: SHA256Hasher.digest(Array("key".utf8)), defaultSigningSecret: "whsec_AAAA", nowMs: nowMs)
        _ = try await store.createEndpoint(tenantId: tenantId, EndpointDraft(url: "https://receiver.example/hook", signingSecret: "whsec_AAAA"), nowMs: nowMs)
        let event = try await store.ingest(EventSubmission(tenantId: tenantId, type: "call.started", rawBody: Array(#"{"type":"call.started"}"#.utf8)))
        let deliveryId = try #require(event.deliveries.first?.deliveryId)
        return (store, metrics, { offsetMs in try await store.retryDelivery(deliveryId, tenantId: tenantId, nowMs: nowMs + offsetMs) })
    }

    /// `method /path` of every operation under `paths:` (two-space path keys, four-space methods).
    static func documentedOperations(_ yaml: String) -> Set<String> {
        var operations: Set<String> = []
        var inPaths = false
        var path: String?
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") && !line.isEmpty { inPaths = line == "paths:" }
            guard inPaths else { continue }
            if line.hasPrefix("  /") && !line.hasPrefix("   ") {
                path = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    ") && !line.hasPrefix("     "), let path {
                let key = line.trimmingCharacters(in: .whitespaces).dropLast()
                if ["get", "post", "put", "patch", "delete"].contains(String(key)) { operations.insert("\(key) \(path)") }
            }
        }
        return operations
    }

    /// The statuses each operation lists (eight-space `"NNN":` keys under its `responses:`).
    static func documentedStatuses(_ yaml: String) -> [String: Set<String>] {
        var statuses: [String: Set<String>] = [:]
        let operations = Self.documentedOperations(yaml)
        var path: String?
        var operation: String?
        var inPaths = false
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") && !line.isEmpty { inPaths = line == "paths:" }
            guard inPaths else { continue }
            if line.hasPrefix("  /") && !line.hasPrefix("   ") {
                path = String(line.dropFirst(2).dropLast())
                operation = nil
            } else if line.hasPrefix("    ") && !line.hasPrefix("     "), let path {
                let candidate = "\(line.trimmingCharacters(in: .whitespaces).dropLast()) \(path)"
                operation = operations.contains(candidate) ? candidate : nil
            } else if let operation, line.hasPrefix("        \""), !line.hasPrefix("         ") {
                statuses[operation, default: []].insert(String(line.dropFirst(9).prefix(3)))
            }
        }
        return statuses
    }
}
