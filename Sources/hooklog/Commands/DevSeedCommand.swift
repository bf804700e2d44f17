import ArgumentParser
import Foundation
import HooklogCore
import HooklogJournal
import Logging

/// `hooklog dev-seed` (hidden): fills a data directory with a realistic log, for benchmarks and
/// crash tests. Records go through the store (projections kept live), many per command.
struct DevSeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev-seed",
        abstract: "Append a realistic workload of records to a data directory (development only).",
        shouldDisplay: false
    )

    @OptionGroup var data: DataDirectoryOptions

    @Option(help: "How many records to append.")
    var records = 1_000_000

    @Option(help: "Records per command (one synced transaction).")
    var batchRecords = 8_192

    @Option(help: "The workload's seed.")
    var seed: UInt64 = 1

    func run() async throws {
        // Its records stay in the log for good: never into a folder found by default (the live
        // one, after `Tools/run`), only one named.
        guard self.data.dataDirectory != nil else {
            throw CommandFailure("dev-seed appends a synthetic workload to a log, for good: name the folder with --data-dir")
        }
        let dataPath = try await self.data.path()
        try PrivateFiles.createFolder(dataPath)
        let lock = try DataDirectoryOptions.lockForOfflineWork(dataPath, doing: "seed")
        defer { withExtendedLifetime(lock) {} }
        let store = try HooklogStore(path: dataPath, logger: Logger(label: "hooklog.dev-seed", factory: { _ in SwiftLogNoOpLogHandler() }))
        let nowMs = JournalConfiguration.wallClockMs()
        let tenantId = try await store.createTenant(
            name: "Callina GmbH", apiKeyHash: SHA256Hasher.digest(Array("seed-\(self.seed)".utf8)),
            defaultSigningSecret: "whsec_" + Base64.encode(Array(repeating: 7, count: 32)), nowMs: nowMs
        )
        var endpointIds: [EndpointID] = []
        for (index, profile) in ["standard", "callina"].enumerated() {
            endpointIds.append(try await store.createEndpoint(
                tenantId: tenantId,
                EndpointDraft(url: "https://receiver\(index).example/hooks", profile: profile, signingSecret: "whsec_" + Base64.encode(Array(repeating: UInt8(index), count: 32))),
                nowMs: nowMs
            ).endpointId)
        }
        var workload = SeedWorkload(tenantId: tenantId, endpointIds: endpointIds, seed: self.seed)
        var remaining = max(0, self.records - 3)
        let progress = ProgressBar("dev-seed", totalCount: UInt64(remaining))
        let startedAt = ContinuousClock.now
        var pending: [Record] = []
        while remaining > 0 {
            let batchNowMs = JournalConfiguration.wallClockMs()
            while pending.count < min(self.batchRecords, remaining) {
                pending += workload.nextEvent(nowMs: batchNowMs)
            }
            let batch = Array(pending.prefix(min(self.batchRecords, remaining)))
            pending.removeFirst(batch.count)
            try await store.append(batch)
            remaining -= batch.count
            progress.update(UInt64(self.records - 3 - remaining))
        }
        progress.finish()
        await store.close()
        let elapsed = startedAt.duration(to: .now)
        print("seeded \(self.records) records in \(elapsed.formattedSeconds) (\(Int(Double(self.records) / max(elapsed.inSeconds, 1e-9))) records/s)")
    }
}
