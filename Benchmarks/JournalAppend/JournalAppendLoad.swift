import Benchmark
import Foundation
import HooklogJournal
import Logging
import Synchronization

/// Bytes the journal stores in front of each payload (version, time, chain hash): the raw loop
/// writes values of the same stored size.
let journalEntryHeaderByteCount = 1 + 8 + 32

/// `appenderCount` tasks appending one record at a time to a fresh journal, each awaiting its
/// synced acknowledgement before the next, from `start()` to `stop()`.
final class JournalAppendLoad: Sendable {
    let appenderCount: Int
    private let payload: [UInt8]
    private let acknowledged = Atomic<Int>(0)
    private let isStopping = Atomic<Bool>(false)
    private let commits = CommitCounters()
    private let state = Mutex<State>(State())

    private struct State {
        var journal: Journal?
        var appenders: [Task<Void, any Error>] = []
        var folder: URL?
        var totals = WindowTotals()
    }

    init(appenderCount: Int, payloadByteCount: Int) {
        self.appenderCount = appenderCount
        self.payload = samplePayload(byteCount: payloadByteCount)
    }

    /// Opens a fresh journal and starts the appenders.
    func start() async throws {
        let folder = try ScratchFolder.make("journal-\(self.appenderCount)")
        // A map large enough that it never grows during the run: growth is not what is measured.
        let environment = try LMDBEnvironment(
            .init(path: folder.path, initialMapSizeBytes: 8 << 30),
            databaseNames: Journal.databaseNames
        )
        let commits = self.commits
        let journal = Journal(
            environment: environment,
            configuration: JournalConfiguration(onCommit: { commits.add($0) }),
            logger: Logger(label: "hooklog.benchmark", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        let appenders = (0..<self.appenderCount).map { _ in
            Task { try await self.appendUntilStopped(to: journal) }
        }
        self.state.withLock { state in
            state.journal = journal
            state.appenders = appenders
            state.folder = folder
        }
    }

    /// Measures one window: sleeps for `duration` while the appenders run, then reports.
    ///
    /// The runner calls this on a thread of the global executor, which the sleep holds; the
    /// appenders measured the same rates with and without one of its two threads held so.
    func measureWindow(_ benchmark: Benchmark, duration: Duration) {
        let start = self.tally()
        sleepThread(duration)
        let window = self.tally().since(start)
        self.state.withLock { $0.totals.add(window, of: benchmark) }
    }

    /// Stops the appenders, closes the journal, writes the summary and removes the folder.
    func stop() async throws {
        self.isStopping.store(true, ordering: .relaxed)
        let (journal, appenders, folder, totals) = self.state.withLock { state in
            defer { state = State() }
            return (state.journal, state.appenders, state.folder, state.totals.measured)
        }
        for appender in appenders {
            try await appender.value
        }
        await journal?.close()
        ResultsFolder.write(kind: "journal", concurrency: self.appenderCount, batchSize: Int(totals.meanBatchSize.rounded()), totals: totals)
        print(
            String(
                format: "\njournal, %d appenders: %.0f records/s, mean batch %.2f records, %.0f μs per transaction",
                self.appenderCount, totals.recordsPerSecond, totals.meanBatchSize, totals.meanTransactionMicroseconds
            )
        )
        if let folder { ScratchFolder.remove(folder) }
    }

    private func appendUntilStopped(to journal: Journal) async throws {
        while !self.isStopping.load(ordering: .relaxed) {
            _ = try await journal.append(self.payload)
            self.acknowledged.add(1, ordering: .relaxed)
        }
    }

    private func tally() -> LoadTally {
        LoadTally(
            records: self.acknowledged.load(ordering: .relaxed),
            entries: self.commits.entries.load(ordering: .relaxed),
            commits: self.commits.count.load(ordering: .relaxed),
            transactionNanoseconds: self.commits.transactionNanoseconds.load(ordering: .relaxed),
            cpuNanoseconds: processCPUNanoseconds(),
            takenAt: .now
        )
    }
}

/// What the journal's `onCommit` reports, summed; bumped on the writer thread.
final class CommitCounters: Sendable {
    let count = Atomic<Int>(0)
    let entries = Atomic<Int>(0)
    let transactionNanoseconds = Atomic<Int>(0)

    func add(_ statistics: CommitStatistics) {
        self.count.add(1, ordering: .relaxed)
        self.entries.add(Int(statistics.entryCount), ordering: .relaxed)
        self.transactionNanoseconds.add(Int(statistics.durationNanoseconds), ordering: .relaxed)
    }
}

/// A webhook-like JSON body of exactly `byteCount` bytes.
func samplePayload(byteCount: Int) -> [UInt8] {
    var body = Array(
        #"{"type":"call.ended","call_id":"call_01JD4K8Q2W7X9","occurred_at":"2025-11-26T13:50:00Z","data":{"duration_s":187,"note":""#
            .utf8
    )
    let closing = Array(#""}}"#.utf8)
    while body.count + closing.count < byteCount { body.append(UInt8(ascii: "x")) }
    return Array((body + closing).prefix(byteCount))
}
