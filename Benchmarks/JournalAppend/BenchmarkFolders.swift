import Foundation

/// Where the benchmarks keep their LMDB environments: a fresh folder per benchmark, removed after it.
///
/// Under `HOOKLOG_BENCH_DATA_DIR` when set, else the system's temporary folder. It must be on a real
/// disk (not tmpfs), or "synced" means nothing. With `HOOKLOG_BENCH_KEEP_DATA` set the folders stay
/// until whoever set it removes them (`Benchmarks/run` does, at the end): on a file system mounted
/// with `discard`, deleting a few hundred megabytes slows the next benchmark's syncs.
enum ScratchFolder {
    /// Creates an empty folder named after `label` and this process, after flushing whatever else
    /// the system has waiting to be written (a build's output, the previous benchmark's pages), so
    /// that the benchmark's syncs do not pay for it.
    static func make(_ label: String) throws -> URL {
        sync()
        let environment = ProcessInfo.processInfo.environment
        let base = environment["HOOKLOG_BENCH_DATA_DIR"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory
        let folder = base.appendingPathComponent("hooklog-bench-\(getpid())-\(label)")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Removes `folder` and everything in it.
    static func remove(_ folder: URL) {
        guard ProcessInfo.processInfo.environment["HOOKLOG_BENCH_KEEP_DATA"] == nil else { return }
        try? FileManager.default.removeItem(at: folder)
    }
}

/// Where each benchmark leaves a one-line summary of its measured windows, tab-separated:
/// `kind  concurrency  batch  records  seconds  commits  entries  txn_ns  cpu_ns`.
///
/// `Benchmarks/run` points `HOOKLOG_BENCH_RESULTS` at a fresh folder and prints the comparison
/// from it; without it, `<temporary folder>/hooklog-bench-results`. The raw loop reads the
/// journal's line from here to commit batches of the size the journal achieved.
enum ResultsFolder {
    static var url: URL {
        if let path = ProcessInfo.processInfo.environment["HOOKLOG_BENCH_RESULTS"] {
            return URL(fileURLWithPath: path)
        }
        return FileManager.default.temporaryDirectory.appendingPathComponent("hooklog-bench-results")
    }

    /// Writes the summary of `kind` (`journal`, `raw` at a fixed batch, `raw-matched` at the
    /// journal's batch) at `concurrency`.
    static func write(kind: String, concurrency: Int, batchSize: Int, totals: LoadWindow) {
        let fields: [String] = [
            kind, "\(concurrency)", "\(batchSize)", "\(totals.records)",
            String(format: "%.6f", Double(totals.elapsedNanoseconds) / 1e9),
            "\(totals.commits)", "\(totals.entries)", "\(totals.transactionNanoseconds)", "\(totals.cpuNanoseconds)",
        ]
        do {
            try FileManager.default.createDirectory(at: self.url, withIntermediateDirectories: true)
            let file = self.url.appendingPathComponent("\(kind)-\(concurrency).tsv")
            try (fields.joined(separator: "\t") + "\n").write(to: file, atomically: true, encoding: .utf8)
        } catch {
            FileHandle.standardError.write(Data("could not write the \(kind) summary: \(error)\n".utf8))
        }
    }

    /// The mean batch the journal achieved at `concurrency` in this run, if it has been measured.
    static func journalMeanBatchSize(concurrency: Int) -> Double? {
        let file = self.url.appendingPathComponent("journal-\(concurrency).tsv")
        guard let line = try? String(contentsOf: file, encoding: .utf8) else { return nil }
        let fields = line.split(separator: "\t")
        guard fields.count >= 7, let commits = Double(fields[5]), let entries = Double(fields[6]), commits > 0 else {
            return nil
        }
        return entries / commits
    }
}
