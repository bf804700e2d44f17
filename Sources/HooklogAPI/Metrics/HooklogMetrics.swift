public import HooklogJournal
import HooklogCore
public import Logging
import Metrics
public import Prometheus
import Synchronization

/// The service's metrics through swift-metrics, kept in a Prometheus registry of their own (no
/// global bootstrap, so several services can live in one test process).
///
/// Events accepted are counted by the API and commits by the journal's `onCommit`. Delivery
/// outcomes, attempt latencies and endpoints disabled are read from the log itself: every
/// record appended is counted once, so the figures are what the log says.
/// `MetricsCountingService` counts them every second, and a scrape counts what came since, so
/// that a scrape never reads more than a moment's records, however long since the last. An
/// endpoint Hooklog disables is also told in a warning: its `endpoint.disabled` event goes only
/// to the tenant's other endpoints, if it has any, and the log may be the one place an operator
/// hears of it.
public final class HooklogMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    private let eventsAccepted: Metrics.Counter
    private let commitDuration: Metrics.Timer
    private let commitBatchRequests: Metrics.Recorder
    private let commitBatchRecords: Metrics.Recorder
    private let commitFailures: Metrics.Counter
    private let attemptLatency: Metrics.Timer
    private let deliveriesWaiting: Metrics.Gauge
    private let attemptsInFlight: Metrics.Gauge
    private let dueLag: [DueLane: Metrics.Gauge]
    private let deliveries: [String: Metrics.Counter]
    private let attempts: [String: Metrics.Counter]
    private let attemptErrors: [AttemptErrorKind: Metrics.Counter]
    private let endpointsDisabled: [EndpointDisabledReason: Metrics.Counter]
    private let logger: Logger
    /// The next log sequence to count.
    private let nextSequence = Mutex<UInt64?>(nil)

    /// Metrics in a new registry, telling endpoints Hooklog disables in `logger`.
    public init(logger: Logger = Logger(label: "hooklog")) {
        self.logger = logger
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        let latencyBuckets: [Duration] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000].map { .milliseconds($0) }
        factory.durationHistogramBuckets = [
            "hooklog_journal_commit_seconds": [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128].map { .milliseconds($0) },
            "hooklog_attempt_latency_seconds": latencyBuckets,
        ]
        factory.valueHistogramBuckets = [
            "hooklog_journal_batch_requests": [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096],
            "hooklog_journal_batch_records": [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096],
        ]
        self.registry = registry
        self.eventsAccepted = Metrics.Counter(label: "hooklog_events_accepted_total", factory: factory)
        self.commitDuration = Metrics.Timer(label: "hooklog_journal_commit_seconds", factory: factory)
        self.commitBatchRequests = Metrics.Recorder(label: "hooklog_journal_batch_requests", factory: factory)
        self.commitBatchRecords = Metrics.Recorder(label: "hooklog_journal_batch_records", factory: factory)
        self.commitFailures = Metrics.Counter(label: "hooklog_journal_commit_failures_total", factory: factory)
        self.attemptLatency = Metrics.Timer(label: "hooklog_attempt_latency_seconds", factory: factory)
        self.deliveriesWaiting = Metrics.Gauge(label: "hooklog_deliveries_waiting", factory: factory)
        self.attemptsInFlight = Metrics.Gauge(label: "hooklog_attempts_in_flight", factory: factory)
        self.dueLag = Dictionary(uniqueKeysWithValues: DueLane.allCases.map {
            ($0, Metrics.Gauge(label: "hooklog_due_lag_seconds", dimensions: [("lane", $0.name)], factory: factory))
        })
        self.deliveries = Dictionary(uniqueKeysWithValues: ["succeeded", "retry_scheduled", "failed", "cancelled"].map {
            ($0, Metrics.Counter(label: "hooklog_deliveries_total", dimensions: [("outcome", $0)], factory: factory))
        })
        self.attempts = Dictionary(uniqueKeysWithValues: ["2xx", "3xx", "4xx", "5xx", "error"].map {
            ($0, Metrics.Counter(label: "hooklog_attempts_total", dimensions: [("result", $0)], factory: factory))
        })
        self.attemptErrors = Dictionary(uniqueKeysWithValues: AttemptErrorKind.allCases.map {
            ($0, Metrics.Counter(label: "hooklog_attempt_errors_total", dimensions: [("kind", $0.name)], factory: factory))
        })
        self.endpointsDisabled = Dictionary(uniqueKeysWithValues: EndpointDisabledReason.allCases.map {
            ($0, Metrics.Counter(label: "hooklog_endpoints_disabled_total", dimensions: [("reason", $0.name)], factory: factory))
        })
    }

    /// Counts events the API accepted (repeats of an idempotency key excluded).
    func recordEventAccepted() {
        self.eventsAccepted.increment()
    }

    /// For `JournalConfiguration.onCommit`: one synced commit.
    public func recordCommit(_ statistics: CommitStatistics) {
        self.commitDuration.recordNanoseconds(Int64(clamping: statistics.durationNanoseconds))
        self.commitBatchRequests.record(statistics.requestCount)
        self.commitBatchRecords.record(Int64(clamping: statistics.entryCount))
    }

    /// For `JournalConfiguration.onCommitFailure`: a commit that failed (its requests were
    /// refused too, nothing of them kept).
    public func recordCommitFailure() {
        self.commitFailures.increment()
    }

    /// Starts counting the log after its current head (what happened before this process is not counted).
    public func startCounting(after store: HooklogStore) throws {
        let head = try store.journal.reader.head().sequence
        self.nextSequence.withLock { $0 = head + 1 }
    }

    /// Brings the log-derived metrics and the delivery queue's figures up to date (the lag as of
    /// `nowMs`) and renders the registry as Prometheus text.
    public func render(store: HooklogStore, nowMs: UInt64) throws -> [UInt8] {
        let queue = try store.deliveryQueueFigures()
        self.deliveriesWaiting.record(queue.waitingCount)
        self.attemptsInFlight.record(queue.inFlightCount)
        for (lane, gauge) in self.dueLag {
            gauge.record(Double(queue.lagMs(of: lane, nowMs: nowMs)) / 1_000)
        }
        try self.countAppended(store: store)
        return self.registry.emitToBuffer()
    }

    /// Counts the records appended since the last count.
    ///
    /// Progress is kept record by record, so a count that fails midway counts nothing twice
    /// when tried again. An entry whose header cannot be read is stepped past after throwing
    /// its error once (`hooklog verify` names it): counting stays stuck on nothing.
    public func countAppended(store: HooklogStore) throws {
        try self.nextSequence.withLock { next in
            guard let start = next else { return }
            do {
                try store.journal.reader.scan(from: start) { view in
                    // Only the kinds counted are decoded: an event's body is not copied to be skipped.
                    if let kind = Record.kind(inEncoded: view.payload), Self.countedKinds.contains(kind),
                        let record = try? Record(decoding: view.payload)
                    {
                        self.count(record)
                    }
                    next = view.sequence + 1
                    return true
                }
            } catch let damaged as LogFormatError where damaged.sequence >= start && damaged.sequence < .max {
                next = damaged.sequence + 1
                throw damaged
            }
        }
    }

    /// The kinds `count(_:)` counts.
    private static let countedKinds: Set<RecordKind> = [
        .attemptFinished, .deliverySucceeded, .deliveryRetryScheduled, .deliveryFailed, .deliveryCancelled, .endpointDisabled,
    ]

    private func count(_ record: Record) {
        switch record {
        case .attemptFinished(let finished):
            if let latencyMs = finished.answerLatencyMs {
                self.attemptLatency.recordMilliseconds(Int64(clamping: latencyMs))
            }
            let result = finished.statusCode.map { "\($0 / 100)xx" } ?? "error"
            self.attempts[result]?.increment()
            if let kind = finished.errorKind { self.attemptErrors[kind]?.increment() }
        case .deliverySucceeded: self.deliveries["succeeded"]?.increment()
        case .deliveryRetryScheduled: self.deliveries["retry_scheduled"]?.increment()
        case .deliveryFailed: self.deliveries["failed"]?.increment()
        case .deliveryCancelled: self.deliveries["cancelled"]?.increment()
        case .endpointDisabled(let disabled):
            self.endpointsDisabled[disabled.reason]?.increment()
            if disabled.reason != .byUser {
                self.logger.warning(
                    "Hooklog disabled an endpoint and cancelled what waited for it; enable it to deliver to it again",
                    metadata: [
                        // Older logs' records do not name the tenant.
                        "tenant.id": "\(disabled.tenantId.map(String.init(describing:)) ?? "unnamed")",
                        "endpoint.id": "\(disabled.endpointId)",
                        "reason": "\(disabled.reason.name)",
                    ]
                )
            }
        default: break
        }
    }
}
