import Benchmark
import Foundation

/// The metrics every load reports, one value per measurement window.
enum LoadMetric {
    /// Records acknowledged as synced, per second.
    static let recordsPerSecond = BenchmarkMetric.custom("Records/s", polarity: .prefersLarger, useScalingFactor: false)
    /// Records per committed transaction (the journal's group-commit batch).
    static let batchSize = BenchmarkMetric.custom("Batch (records)", polarity: .prefersLarger, useScalingFactor: false)
    /// Mean time from a transaction's begin to the end of its synced commit.
    static let transactionMicroseconds = BenchmarkMetric.custom("Txn begin→synced (μs)", polarity: .prefersSmaller, useScalingFactor: false)
    /// Share of the window the writer spent inside transactions.
    static let writerBusyPercent = BenchmarkMetric.custom("Writer in txn (%)", polarity: .prefersLarger, useScalingFactor: false)
    /// Process CPU time (all threads) per record.
    static let cpuNanosecondsPerRecord = BenchmarkMetric.custom("CPU / record (ns)", polarity: .prefersSmaller, useScalingFactor: false)

    static let all = [recordsPerSecond, batchSize, transactionMicroseconds, writerBusyPercent, cpuNanosecondsPerRecord]
}

/// Counts a load has reached at one instant; two of them bound a measurement window.
struct LoadTally: Sendable {
    /// Records acknowledged to their appenders (the journal) or committed (the raw loop).
    var records = 0
    /// Entries the committed transactions held.
    var entries = 0
    /// Synced commits.
    var commits = 0
    /// Time spent from transaction begin to synced commit, summed over commits.
    var transactionNanoseconds = 0
    /// Process CPU time, all threads.
    var cpuNanoseconds = 0
    /// When the counts were taken.
    var takenAt = ContinuousClock.now

    /// The counts of `self` minus those of `start`.
    func since(_ start: LoadTally) -> LoadWindow {
        LoadWindow(
            records: self.records - start.records,
            entries: self.entries - start.entries,
            commits: self.commits - start.commits,
            transactionNanoseconds: self.transactionNanoseconds - start.transactionNanoseconds,
            cpuNanoseconds: self.cpuNanoseconds - start.cpuNanoseconds,
            elapsedNanoseconds: nanoseconds(start.takenAt.duration(to: self.takenAt))
        )
    }
}

/// What happened during one measurement window, or (summed) during all of them.
struct LoadWindow: Sendable {
    var records = 0
    var entries = 0
    var commits = 0
    var transactionNanoseconds = 0
    var cpuNanoseconds = 0
    var elapsedNanoseconds = 0

    var recordsPerSecond: Double { Double(self.records) * 1e9 / Double(max(self.elapsedNanoseconds, 1)) }
    var meanBatchSize: Double { Double(self.entries) / Double(max(self.commits, 1)) }
    var meanTransactionMicroseconds: Double { Double(self.transactionNanoseconds) / 1e3 / Double(max(self.commits, 1)) }
    var writerBusyPercent: Double { Double(self.transactionNanoseconds) * 100 / Double(max(self.elapsedNanoseconds, 1)) }
    var cpuNanosecondsPerRecord: Double { Double(self.cpuNanoseconds) / Double(max(self.records, 1)) }

    static func += (total: inout LoadWindow, window: LoadWindow) {
        total.records += window.records
        total.entries += window.entries
        total.commits += window.commits
        total.transactionNanoseconds += window.transactionNanoseconds
        total.cpuNanoseconds += window.cpuNanoseconds
        total.elapsedNanoseconds += window.elapsedNanoseconds
    }

    /// Reports this window's metrics to `benchmark`.
    func report(to benchmark: Benchmark) {
        benchmark.measurement(LoadMetric.recordsPerSecond, Int(self.recordsPerSecond.rounded()))
        benchmark.measurement(LoadMetric.batchSize, Int(self.meanBatchSize.rounded()))
        benchmark.measurement(LoadMetric.transactionMicroseconds, Int(self.meanTransactionMicroseconds.rounded()))
        benchmark.measurement(LoadMetric.writerBusyPercent, Int(self.writerBusyPercent.rounded()))
        benchmark.measurement(LoadMetric.cpuNanosecondsPerRecord, Int(self.cpuNanosecondsPerRecord.rounded()))
    }
}

/// Sums the windows measured after warm-up and writes them as the benchmark's summary line.
struct WindowTotals {
    private(set) var measured = LoadWindow()

    /// Reports `window` to `benchmark` and, once warm-up is over, adds it to the totals.
    mutating func add(_ window: LoadWindow, of benchmark: Benchmark) {
        window.report(to: benchmark)
        if benchmark.currentIteration >= benchmark.configuration.warmupIterations {
            self.measured += window
        }
    }
}

/// Nanoseconds in `duration`, for durations well under 292 years.
func nanoseconds(_ duration: Duration) -> Int {
    let components = duration.components
    return Int(components.seconds) * 1_000_000_000 + Int(components.attoseconds / 1_000_000_000)
}

/// CPU time this process has used so far, all threads.
func processCPUNanoseconds() -> Int {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return time.tv_sec * 1_000_000_000 + time.tv_nsec
}

/// Blocks the calling thread for `duration`.
func sleepThread(_ duration: Duration) {
    var request = timespec(tv_sec: Int(duration.components.seconds), tv_nsec: Int(duration.components.attoseconds / 1_000_000_000))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 && errno == EINTR {
        request = remaining
    }
}
