public import HooklogJournal
public import Logging
public import ServiceLifecycle

/// Counts the log's records into `HooklogMetrics` every `interval`, a second's worth at a time
/// (decoding only the delivery records it counts): a scrape then reads only what came since,
/// never the whole span since the scrape before (an hour unscraped at full load is millions of
/// records, read inside one request).
public struct MetricsCountingService: Service {
    /// How often the records appended are counted.
    public static let interval: Duration = .seconds(1)

    private let metrics: HooklogMetrics
    private let store: HooklogStore
    private let logger: Logger

    /// A service counting `store`'s records into `metrics`.
    public init(metrics: HooklogMetrics, store: HooklogStore, logger: Logger) {
        self.metrics = metrics
        self.store = store
        self.logger = logger
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try self.metrics.countAppended(store: self.store)
                } catch {
                    self.logger.warning("metrics could not count the log's latest records; trying again", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: Self.interval)
            }
        }
    }
}
