import Benchmark
import CLMDB
import Foundation

/// The LMDB ceiling: one thread looping `mdb_txn_begin`, `batchSize` × `mdb_put(MDB_APPEND)` of
/// big-endian `UInt64` keys, `mdb_txn_commit` (default flags: synced), into one named database.
/// Values are as long as the journal's stored entries (payload and header), so both write as many bytes.
final class RawPutLoop: @unchecked Sendable {
    // @unchecked: the benchmark runner uses it from one thread, in order: open, windows, close.

    /// How many records each transaction holds.
    enum BatchSize {
        /// Exactly this many.
        case fixed(Int)
        /// The journal's mean batch at this many appenders as measured earlier in the run
        /// (rounded, at most the appender count); the appender count when it has not been measured.
        case journalMean(appenders: Int)
    }

    let batchChoice: BatchSize
    private(set) var batchSize: Int
    private let value: [UInt8]
    private var environment: OpaquePointer?
    private var database: MDB_dbi = 0
    private var folder: URL?
    private var sequence: UInt64 = 0
    private var running = LoadWindow()
    private var totals = WindowTotals()

    init(batchSize: BatchSize, valueByteCount: Int) {
        self.batchChoice = batchSize
        switch batchSize {
        case .fixed(let count): self.batchSize = count
        case .journalMean(let appenders): self.batchSize = appenders
        }
        self.value = samplePayload(byteCount: valueByteCount)
    }

    /// The summary's kind and concurrency.
    private var summaryKey: (kind: String, concurrency: Int) {
        switch self.batchChoice {
        case .fixed(let count): ("raw", count)
        case .journalMean(let appenders): ("raw-matched", appenders)
        }
    }

    /// Picks the batch size and opens a fresh environment.
    func open() throws {
        if case .journalMean(let appenders) = self.batchChoice,
            let journalBatch = ResultsFolder.journalMeanBatchSize(concurrency: appenders)
        {
            self.batchSize = max(1, min(appenders, Int(journalBatch.rounded())))
        }
        let folder = try ScratchFolder.make("\(self.summaryKey.kind)-\(self.summaryKey.concurrency)")
        self.folder = folder
        var environment: OpaquePointer?
        try check(mdb_env_create(&environment), "mdb_env_create")
        self.environment = environment
        try check(mdb_env_set_maxdbs(environment, 2), "mdb_env_set_maxdbs")
        try check(mdb_env_set_mapsize(environment, 8 << 30), "mdb_env_set_mapsize")
        try check(mdb_env_open(environment, folder.path, 0, 0o644), "mdb_env_open")
        var transaction: OpaquePointer?
        try check(mdb_txn_begin(environment, nil, 0, &transaction), "mdb_txn_begin")
        try check(mdb_dbi_open(transaction, "log", UInt32(MDB_CREATE), &self.database), "mdb_dbi_open")
        try check(mdb_txn_commit(transaction), "mdb_txn_commit")
    }

    /// Measures one window: commits batches until `duration` has passed, then reports.
    func measureWindow(_ benchmark: Benchmark, duration: Duration) {
        let start = self.tally()
        let end = start.takenAt + duration
        do {
            while ContinuousClock.now < end {
                try self.commitBatch()
            }
        } catch {
            benchmark.error("\(error)")
            return
        }
        self.totals.add(self.tally().since(start), of: benchmark)
    }

    /// Closes the environment, writes the summary and removes the folder.
    func close() {
        if let environment = self.environment {
            mdb_env_close(environment)
            self.environment = nil
        }
        let totals = self.totals.measured
        let key = self.summaryKey
        ResultsFolder.write(kind: key.kind, concurrency: key.concurrency, batchSize: self.batchSize, totals: totals)
        print(
            String(
                format: "\n%@ mdb_put loop at %d, batch %d: %.0f records/s, %.0f μs per transaction",
                key.kind, key.concurrency, self.batchSize, totals.recordsPerSecond, totals.meanTransactionMicroseconds
            )
        )
        if let folder = self.folder { ScratchFolder.remove(folder) }
    }

    private func commitBatch() throws {
        let startedAt = ContinuousClock.now
        var transaction: OpaquePointer?
        try check(mdb_txn_begin(self.environment, nil, 0, &transaction), "mdb_txn_begin")
        var failure: (any Error)?
        self.value.withUnsafeBytes { valueBytes in
            for _ in 0..<self.batchSize {
                self.sequence += 1
                var key = self.sequence.bigEndian
                let status = withUnsafeMutableBytes(of: &key) { keyBytes in
                    var keyVal = MDB_val(mv_size: keyBytes.count, mv_data: keyBytes.baseAddress)
                    var dataVal = MDB_val(mv_size: valueBytes.count, mv_data: UnsafeMutableRawPointer(mutating: valueBytes.baseAddress))
                    return mdb_put(transaction, self.database, &keyVal, &dataVal, UInt32(MDB_APPEND))
                }
                if status != MDB_SUCCESS {
                    failure = RawLMDBError(code: status, operation: "mdb_put")
                    return
                }
            }
        }
        if let failure {
            mdb_txn_abort(transaction)
            throw failure
        }
        try check(mdb_txn_commit(transaction), "mdb_txn_commit")
        self.running.records += self.batchSize
        self.running.entries += self.batchSize
        self.running.commits += 1
        self.running.transactionNanoseconds += nanoseconds(startedAt.duration(to: .now))
    }

    private func tally() -> LoadTally {
        LoadTally(
            records: self.running.records,
            entries: self.running.entries,
            commits: self.running.commits,
            transactionNanoseconds: self.running.transactionNanoseconds,
            cpuNanoseconds: processCPUNanoseconds(),
            takenAt: .now
        )
    }
}

/// An LMDB failure in the raw loop, with LMDB's own message.
struct RawLMDBError: Error, CustomStringConvertible {
    let code: Int32
    let operation: String

    var description: String { "\(self.operation): \(String(cString: mdb_strerror(self.code))) (\(self.code))" }
}

private func check(_ code: Int32, _ operation: String) throws {
    if code != MDB_SUCCESS { throw RawLMDBError(code: code, operation: operation) }
}
