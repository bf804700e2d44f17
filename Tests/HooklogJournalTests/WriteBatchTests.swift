import Dispatch
import Logging
import Synchronization
@testable import HooklogJournal
import Testing

private struct Refused: Error, Equatable {
    let appender: Int
}

/// Records every entry's sequence in an `index` database, and refuses payloads that start with "poison".
private struct IndexingProjector: LogProjector {
    let index: Database
    var databaseNames: [String] { ["index"] }

    func apply(_ entry: LogEntryView, in transaction: WriteTransaction) throws {
        if Array(entry.payload.prefix(6)) == Array("poison".utf8) { throw Refused(appender: -1) }
        try transaction.put(Array(entry.payload.prefix(16)), forKey: LogEntryLayout.key(entry.sequence), in: self.index)
    }
}

/// How many times requests' bodies ran.
private final class RunCount: Sendable {
    let value = Atomic(0)
}

@Suite("Write batches")
struct WriteBatchTests {
    @Test func failingRequestDoesNotTakeItsBatchMatesDown() async throws {
        try await withTemporaryFolder { path in
            let journal = try openJournal(at: path)
            let outcomes = await withTaskGroup(of: (Int, Result<UInt64, any Error>).self) { group in
                for appender in 0..<200 {
                    group.addTask {
                        do {
                            let sequence = try await journal.write { writer -> UInt64 in
                                let sequence = try writer.append(payload(appender: appender, index: 0))
                                if appender % 10 == 3 { throw Refused(appender: appender) }
                                return sequence
                            }
                            return (appender, .success(sequence))
                        } catch {
                            return (appender, .failure(error))
                        }
                    }
                }
                return await group.reduce(into: [(Int, Result<UInt64, any Error>)]()) { $0.append($1) }
            }
            var landed: [UInt64] = []
            for (appender, outcome) in outcomes {
                switch outcome {
                case .success(let sequence):
                    #expect(appender % 10 != 3)
                    #expect(try journal.reader.entry(at: sequence)?.payload == payload(appender: appender, index: 0))
                    landed.append(sequence)
                case .failure(let error):
                    #expect(error as? Refused == Refused(appender: appender))
                }
            }
            #expect(landed.sorted() == Array(1...180))
            #expect(try ChainVerifier(reader: journal.reader).verify().intactCount == 180)
            await journal.close()
        }
    }

    /// A request that throws before it appends has changed nothing: its batch goes on, and no
    /// batch-mate runs twice (many such refusals would otherwise rerun a batch again and again).
    @Test func aRequestRefusedBeforeItAppendsCostsItsBatchMatesNoRerun() async throws {
        try await withTemporaryFolder { path in
            // A long wait after each commit gathers the appenders into few batches.
            let largestBatch = RunCount()
            let journal = try openJournal(at: path, configuration: JournalConfiguration(maxBatchDelayUs: 20_000, onCommit: { statistics in
                largestBatch.value.max(statistics.requestCount, ordering: .relaxed)
            }))
            let runCount = RunCount()
            let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
                for appender in 0..<200 {
                    group.addTask {
                        do {
                            _ = try await journal.write { writer -> UInt64 in
                                runCount.value.add(1, ordering: .relaxed)
                                if appender % 10 == 3 { throw Refused(appender: appender) }
                                return try writer.append(payload(appender: appender, index: 0))
                            }
                            return (appender, true)
                        } catch {
                            #expect(error as? Refused == Refused(appender: appender))
                            return (appender, false)
                        }
                    }
                }
                return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
            }
            #expect(outcomes.filter(\.value).count == 180)
            #expect(outcomes.allSatisfy { $0.value == ($0.key % 10 != 3) })
            #expect(runCount.value.load(ordering: .relaxed) == 200, "every request ran once")
            #expect(largestBatch.value.load(ordering: .relaxed) > 10, "the requests shared batches")
            #expect(try ChainVerifier(reader: journal.reader).verify().intactCount == 180)
            await journal.close()
        }
    }

    /// A refusal judged against a batch-mate's write is told only once that write has landed:
    /// when the transaction is aborted (here by a request that throws after appending), the
    /// refused request is judged again with the rest, against what then commits.
    @Test func aRefusalJudgedInAnAbortedAttemptIsJudgedAgain() async throws {
        try await withTemporaryFolder { path in
            let journal = try openJournal(at: path)
            let key = Array("key-K".utf8)
            let log = journal.environment.database(LogReader.databaseName)
            // Holds the writer so that the three requests below queue, in order, into one batch.
            let holderRuns = RunCount()
            let release = DispatchSemaphore(value: 0)
            let holder = Task {
                try await journal.write { writer in
                    holderRuns.value.add(1, ordering: .relaxed)
                    _ = try writer.append(Array("holder".utf8))
                    release.wait()
                }
            }
            try await Self.waitUntil { holderRuns.value.load(ordering: .relaxed) == 1 }
            // Appends the key in the first attempt only: its write never lands.
            let firstRuns = RunCount()
            let first = Task {
                try await journal.write { writer -> Bool in
                    guard firstRuns.value.add(1, ordering: .relaxed).oldValue == 0 else { return false }
                    _ = try writer.append(key)
                    return true
                }
            }
            try await Self.waitUntil { journal.queuedWriteCount == 1 }
            // Refuses when the key is already in the log, as a reused idempotency key is.
            let secondRefusals = RunCount()
            let secondRuns = RunCount()
            let second = Task {
                try await journal.write { writer -> UInt64 in
                    secondRuns.value.add(1, ordering: .relaxed)
                    let stored = try writer.view.value(forKey: LogEntryLayout.key(writer.head.sequence), in: log)
                    if stored.map({ Array($0.dropFirst(LogEntryLayout.headerByteCount)) }) == key {
                        secondRefusals.value.add(1, ordering: .relaxed)
                        throw Refused(appender: 2)
                    }
                    return try writer.append(key)
                }
            }
            try await Self.waitUntil { journal.queuedWriteCount == 2 }
            // Throws after appending: the attempt is aborted.
            let third = Task {
                try await journal.write { writer in
                    _ = try writer.append(Array("third".utf8))
                    throw Refused(appender: 3)
                }
            }
            try await Self.waitUntil { journal.queuedWriteCount == 3 }
            release.signal()
            try await holder.value
            #expect(try await first.value == false, "the first request's key did not land")
            let sequence = try await second.value
            #expect(secondRefusals.value.load(ordering: .relaxed) == 1 && secondRuns.value.load(ordering: .relaxed) == 2, "refused once against the first's key, then judged again")
            #expect(try journal.reader.entry(at: sequence)?.payload == key, "the second request was judged against what committed")
            await #expect(throws: Refused(appender: 3)) { try await third.value }
            await journal.close()
        }
    }

    /// Waits, polling, until `condition` holds (at most 10 s).
    private static func waitUntil(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now.advanced(by: .seconds(10))
        while !condition() {
            guard ContinuousClock.now < deadline else { throw WaitTimedOut() }
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    private struct WaitTimedOut: Error {}

    @Test func projectorWritesInTheSameTransactionAndItsFailureUndoesTheAppend() async throws {
        try await withTemporaryFolder { path in
            let environment = try LMDBEnvironment(.init(path: path), databaseNames: Journal.databaseNames + ["index"])
            let index = environment.database("index")
            let journal = Journal(environment: environment, projector: IndexingProjector(index: index), logger: quietLogger)
            let first = try await journal.append(Array("hello".utf8))
            await #expect(throws: Refused(appender: -1)) { try await journal.append([Array("ok".utf8), Array("poison pill".utf8)]) }
            let second = try await journal.append(Array("world".utf8))
            #expect([first, second] == [1, 2])
            let indexed = try environment.read { transaction in
                (
                    try transaction.value(forKey: LogEntryLayout.key(1), in: index),
                    try transaction.value(forKey: LogEntryLayout.key(2), in: index),
                    try transaction.entryCount(of: index)
                )
            }
            #expect(indexed.0 == Array("hello".utf8))
            #expect(indexed.1 == Array("world".utf8))
            #expect(indexed.2 == 2)
            await journal.close()
        }
    }

    @Test func writeReadsItsBatchsOwnEarlierWrites() async throws {
        try await withTemporaryFolder { path in
            let journal = try openJournal(at: path)
            let (sequence, seen) = try await journal.write { writer -> (UInt64, [UInt8]?) in
                let sequence = try writer.append(Array("mine".utf8))
                let log = journal.environment.database(LogReader.databaseName)
                let stored = try writer.view.value(forKey: LogEntryLayout.key(sequence), in: log)
                return (sequence, stored.map { Array($0.dropFirst(LogEntryLayout.headerByteCount)) })
            }
            #expect(sequence == 1 && seen == Array("mine".utf8))
            await journal.close()
        }
    }
}
