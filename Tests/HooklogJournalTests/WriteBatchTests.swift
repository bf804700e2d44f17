import Logging
import HooklogJournal
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
