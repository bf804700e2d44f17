import HooklogCore
import HooklogJournal
import Testing

@Suite("Journal appends")
struct JournalAppendTests {
    @Test func appendedRecordsReadBackInOrderWithTheirBytes() async throws {
        try await withTemporaryFolder { path in
            let journal = try openJournal(at: path)
            let payloads = (0..<10).map { payload(appender: 0, index: $0, size: 10 + $0 * 37) } + [[]]
            let sequences = try await journal.append(payloads)
            #expect(sequences == Array(1...11))
            let entries = try journal.reader.entries(from: 1, limit: 100)
            #expect(entries.map(\.payload) == payloads)
            #expect(entries.map(\.sequence) == Array(1...11))
            #expect(try journal.reader.entry(at: 4)?.payload == payloads[3])
            #expect(try journal.reader.entry(at: 12) == nil)
            #expect(try journal.reader.head().sequence == 11)
            #expect(try journal.reader.head().chainHash == entries.last?.chainHash)
            await journal.close()
        }
    }

    @Test func thousandConcurrentAppendersGetUniqueGapFreeSequences() async throws {
        try await withTemporaryFolder { path in
            let journal = try openJournal(at: path)
            let assigned = try await withThrowingTaskGroup(of: (Int, UInt64).self) { group in
                for appender in 0..<1000 {
                    group.addTask { (appender, try await journal.append(payload(appender: appender, index: 0))) }
                }
                return try await group.reduce(into: [Int: UInt64]()) { $0[$1.0] = $1.1 }
            }
            #expect(Set(assigned.values) == Set(1...1000))
            for (appender, sequence) in assigned {
                #expect(try journal.reader.entry(at: sequence)?.payload == payload(appender: appender, index: 0))
            }
            #expect(try ChainVerifier(reader: journal.reader).verify().isIntact)
            await journal.close()
        }
    }

    @Test func concurrentCommitsAreGroupedIntoFewerTransactions() async throws {
        try await withTemporaryFolder { path in
            let commits = Counter()
            let journal = try openJournal(at: path, configuration: JournalConfiguration(onCommit: { _ in commits.increment() }))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for appender in 0..<256 {
                    group.addTask { for index in 0..<4 { _ = try await journal.append(payload(appender: appender, index: index)) } }
                }
                try await group.waitForAll()
            }
            #expect(try journal.reader.head().sequence == 1024)
            #expect(commits.value < 1024)
            await journal.close()
        }
    }

    @Test func mapGrowsFromOneMebibyteToOverHundredMebibytesWithoutAnError() async throws {
        try await withTemporaryFolder { path in
            let journal = try openJournal(at: path, initialMapSizeBytes: 1 << 20)
            let sizes = [300, 4_000, 70_000, 1_000_000]
            var total = 0
            var batch = 0
            while total < 110 << 20 {
                let records = (0..<8).map { payload(appender: batch, index: $0, size: sizes[($0 + batch) % sizes.count]) }
                total += records.reduce(0) { $0 + $1.count }
                _ = try await journal.append(records)
                batch += 1
            }
            #expect(journal.environment.mapSizeBytes > 100 << 20)
            #expect(try ChainVerifier(reader: journal.reader).verify().intactCount == UInt64(batch * 8))
            await journal.close()
        }
    }

    @Test func reopeningSeesEverythingAndContinuesTheSequence() async throws {
        try await withTemporaryFolder { path in
            var expected: [[UInt8]] = []
            for round in 0..<3 {
                let journal = try openJournal(at: path)
                let payloads = (0..<50).map { payload(appender: round, index: $0) }
                let sequences = try await journal.append(payloads)
                #expect(sequences.first == UInt64(expected.count + 1))
                expected += payloads
                await journal.close()
            }
            let journal = try openJournal(at: path)
            #expect(try journal.reader.entries(from: 1, limit: 1_000).map(\.payload) == expected)
            #expect(try ChainVerifier(reader: journal.reader).verify().intactCount == 150)
            await journal.close()
        }
    }

    @Test func appendTimesNeverGoBackwardsWhenTheClockDoes() async throws {
        try await withTemporaryFolder { path in
            let clock = SteppingClock(times: [5_000, 9_000, 3_000])
            let journal = try openJournal(at: path, configuration: JournalConfiguration(clock: { clock.next() }))
            for index in 0..<3 { _ = try await journal.append(payload(appender: 0, index: index)) }
            let times = try journal.reader.entries(from: 1, limit: 3).map(\.appendedAtMs)
            #expect(times == [5_000, 9_000, 9_000])
            await journal.close()
        }
    }

    @Test func closedJournalRefusesWritesAndKeepsWhatItAcknowledged() async throws {
        try await withTemporaryFolder { path in
            let journal = try openJournal(at: path)
            _ = try await journal.append(payload(appender: 0, index: 0))
            await journal.close()
            await #expect(throws: JournalError.closed) { try await journal.append(payload(appender: 0, index: 1)) }
            #expect(try journal.reader.head().sequence == 1)
        }
    }
}
