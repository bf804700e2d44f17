import Benchmark

// Synced append throughput of the journal at 1, 16, 64 and 256 concurrent appenders, beside a
// plain loop of mdb_put into one database (the LMDB ceiling on this disk) committing batches of
// 1, 16, 64 and 256 records, and batches of the mean size the journal achieved at 16, 64 and 256
// appenders (the comparison at the same batch size; at 1 appender the batch is 1 either way).
//
// Each benchmark iteration is one measurement window (`windowDuration`) of a load that runs for
// the whole benchmark: the appenders (or the raw loop) never drain between windows, so every
// sample is steady-state throughput. The headline metric is `Records/s`; the table also shows the
// batch size, the mean transaction time (begin to synced commit) and the CPU spent per record.
// Each benchmark also leaves a one-line summary (see `ResultsFolder`), which `Benchmarks/run`
// turns into the journal-versus-raw table.

/// How long one measurement window (one benchmark iteration) lasts.
let windowDuration = Duration.milliseconds(250)
/// The record payload, like a webhook event's body.
let payloadByteCount = 300
/// The concurrency levels measured; the raw loop runs the same batch sizes.
let concurrencyLevels = [1, 16, 64, 256]

let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: LoadMetric.all,
        warmupIterations: 2,
        maxDuration: .seconds(3),
        maxIterations: 1_000
    )

    // Names sort (as the runner orders them) so that each concurrency's benchmarks run back to back,
    // the journal first: the matched raw loop reads the journal's batch size, and a pair measured
    // seconds apart shares the disk's weather.
    for appenderCount in concurrencyLevels {
        let load = JournalAppendLoad(appenderCount: appenderCount, payloadByteCount: payloadByteCount)
        Benchmark("\(appenderCount) appenders: journal append", configuration: configuration) { benchmark in
            load.measureWindow(benchmark, duration: windowDuration)
        } setup: {
            try await load.start()
        } teardown: {
            try await load.stop()
        }

        var rawLoops = [("raw mdb_put loop, batch \(appenderCount)", RawPutLoop.BatchSize.fixed(appenderCount))]
        if appenderCount > 1 {
            rawLoops.append(("raw mdb_put loop, journal's batch", .journalMean(appenders: appenderCount)))
        }
        for (name, batchSize) in rawLoops {
            let loop = RawPutLoop(batchSize: batchSize, valueByteCount: payloadByteCount + journalEntryHeaderByteCount)
            Benchmark("\(appenderCount) appenders: \(name)", configuration: configuration) { benchmark in
                loop.measureWindow(benchmark, duration: windowDuration)
            } setup: {
                try loop.open()
            } teardown: {
                loop.close()
            }
        }
    }
}
