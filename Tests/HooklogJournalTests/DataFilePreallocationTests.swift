import Foundation
import HooklogTestSupport
import Synchronization
import HooklogJournal
import Testing

@Suite("Data file preallocation")
struct DataFilePreallocationTests {
    /// One append's worth: commits (of ~75 KB) keep outrunning it, so LMDB writes past the
    /// file's end while zeros are appended there.
    private static let headroomBytes = 256 << 10

    @Test func theFileIsKeptZeroFilledAheadOfThePagesInUseWhileAppendsRace() async throws {
        try await withTemporaryFolder { path in
            let journal = try openJournal(at: path, configuration: JournalConfiguration(preallocationBytes: Self.headroomBytes))
            let environment = journal.environment
            try await Self.waitForHeadroom(in: environment)

            // Many times the headroom, so the file is topped up while appends commit, and while
            // the map grows from 1 MiB (which moves the meta pages the preallocator reads).
            let payloads = try await withThrowingTaskGroup(of: [[UInt8]].self) { group in
                for appender in 0..<16 {
                    group.addTask {
                        var written: [[UInt8]] = []
                        for index in 0..<40 {
                            let batch = (0..<50).map { payload(appender: appender, index: index * 50 + $0, size: 1_500) }
                            _ = try await journal.append(batch)
                            written += batch
                        }
                        return written
                    }
                }
                return try await group.reduce(into: [[UInt8]]()) { $0 += $1 }
            }
            #expect(try environment.usedBytes > 4 * Self.headroomBytes)
            try await Self.waitForHeadroom(in: environment)
            #expect(try Self.bytesPastPagesInUse(in: path, environment).allSatisfy { $0 == 0 })
            #expect(try ChainVerifier(reader: journal.reader).verify().isIntact)
            let stored = try journal.reader.entries(from: 1, limit: payloads.count + 1).map(\.payload)
            #expect(Set(stored) == Set(payloads) && stored.count == payloads.count)
            await journal.close()

            // Opened again without preallocation (as the tools open it): everything reads back,
            // and new commits write over the zeros.
            let reopened = try openJournal(at: path)
            #expect(try reopened.reader.head().sequence == UInt64(payloads.count))
            _ = try await reopened.append((0..<200).map { payload(appender: 99, index: $0, size: 1_500) })
            #expect(try ChainVerifier(reader: reopened.reader).verify().isIntact)
            #expect(try reopened.reader.entry(at: UInt64(payloads.count) + 200)?.payload == payload(appender: 99, index: 199, size: 1_500))
            await reopened.close()
        }
    }

    @Test func zerosWaitForTheWriteTransactionThatIsRunning() async throws {
        try await withTemporaryFolder { path in
            let environment = try LMDBEnvironment(.init(path: path, initialMapSizeBytes: 4 << 20), databaseNames: ["scratch"])
            let scratch = environment.database("scratch")
            let transactionOpen = DispatchSemaphore(value: 0)
            let zerosAppended = Mutex(false)
            let appender = Task.detached {
                transactionOpen.wait()
                let targetBytes = environment.usedBytes + (4 << 20)
                while try environment.appendZeros(towardBytes: targetBytes) {
                    zerosAppended.withLock { $0 = true }
                }
            }
            // A transaction that writes past the file's end and stays open a while: LMDB may
            // write its pages at any moment until it commits, so zeros must wait for it.
            let appendedWhileOpen = try await OwnThread.run {
                try environment.write { transaction in
                    for index in 0..<200 {
                        try transaction.put([UInt8](repeating: 7, count: 2_000), forKey: LogEntryLayout.key(UInt64(index + 1)), in: scratch)
                    }
                    transactionOpen.signal()
                    Thread.sleep(forTimeInterval: 0.2)
                    return zerosAppended.withLock { $0 }
                }
            }
            try await appender.value
            #expect(!appendedWhileOpen, "zeros were appended while a write transaction was open")
            #expect(zerosAppended.withLock { $0 })
            #expect(try environment.dataFileBytes() > environment.usedBytes)
            #expect(try environment.read { try $0.value(forKey: LogEntryLayout.key(200), in: scratch) } == [UInt8](repeating: 7, count: 2_000))
        }
    }

    @Test func withoutPreallocationTheFileEndsWithThePagesInUse() async throws {
        try await withTemporaryFolder { path in
            let journal = try openJournal(at: path)
            _ = try await journal.append((0..<500).map { payload(appender: 0, index: $0, size: 1_500) })
            #expect(try journal.environment.dataFileBytes() == journal.environment.usedBytes)
            await journal.close()
        }
    }

    /// Waits (at most 10 s) until the file reaches over half the headroom past the pages in use,
    /// which the preallocator keeps once appends pause.
    private static func waitForHeadroom(in environment: LMDBEnvironment) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while try environment.dataFileBytes() <= environment.usedBytes + Self.headroomBytes / 2 {
            guard ContinuousClock.now < deadline else {
                Issue.record("the data file never got \(Self.headroomBytes / 2) bytes ahead of the pages in use")
                return
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    private static func bytesPastPagesInUse(in path: String, _ environment: LMDBEnvironment) throws -> Data {
        let file = try FileHandle(forReadingFrom: URL(fileURLWithPath: path + "/data.mdb"))
        defer { try? file.close() }
        try file.seek(toOffset: UInt64(environment.usedBytes))
        return try file.readToEnd() ?? Data()
    }
}
