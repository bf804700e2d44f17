import HooklogCore
import HooklogJournal
import Testing

@Suite("Hash chain")
struct ChainVerificationTests {
    @Test func intactChainVerifiesAndItsHeadIsTheLastEntry() async throws {
        try await withTemporaryFolder { path in
            let journal = try openJournal(at: path)
            _ = try await journal.append((0..<20).map { payload(appender: 0, index: $0) })
            let verification = try ChainVerifier(reader: journal.reader).verify()
            #expect(verification.isIntact)
            #expect(verification.intactCount == 20)
            #expect(verification.intactHead == (try journal.reader.head()))
            await journal.close()
        }
    }

    @Test func emptyLogIsIntact() async throws {
        try await withTemporaryFolder { path in
            let journal = try openJournal(at: path)
            let verification = try ChainVerifier(reader: journal.reader).verify()
            #expect(verification.isIntact && verification.intactCount == 0 && verification.intactHead == .empty)
            await journal.close()
        }
    }

    @Test func chainHashFollowsItsDocumentedDefinition() async throws {
        try await withTemporaryFolder { path in
            let journal = try openJournal(at: path, configuration: JournalConfiguration(clock: { 1_700_000_000_123 }))
            _ = try await journal.append([Array("first".utf8), Array("second".utf8)])
            var previous = SHA256Digest.zero
            for entry in try journal.reader.entries(from: 1, limit: 2) {
                // SHA-256(previous hash ‖ sequence ‖ version ‖ appendedAtMs ‖ payload), integers big-endian.
                var message = previous.bytes
                message += withUnsafeBytes(of: entry.sequence.bigEndian) { Array($0) }
                message.append(LogEntryLayout.currentVersion)
                message += withUnsafeBytes(of: entry.appendedAtMs.bigEndian) { Array($0) }
                message += entry.payload
                #expect(entry.chainHash == SHA256Hasher.digest(message))
                previous = entry.chainHash
            }
            await journal.close()
        }
    }

    @Test func everyFlippedByteOfARecordIsFoundAtItsSequence() async throws {
        try await withTemporaryFolder { path in
            let journal = try openJournal(at: path)
            _ = try await journal.append((0..<10).map { payload(appender: 0, index: $0, size: 64) })
            await journal.close()
            let log = journal.environment.database(LogReader.databaseName)
            let key = LogEntryLayout.key(5)
            let original = try #require(try journal.environment.read { try $0.value(forKey: key, in: log) })
            for position in original.indices {
                var tampered = original
                tampered[position] ^= 0x01
                try journal.environment.write { try $0.put(tampered, forKey: key, in: log) }
                let verification = try ChainVerifier(reader: journal.reader).verify()
                #expect(verification.firstBreak?.sequence == 5, "flip at byte \(position) was not caught at 5")
                #expect(verification.intactCount == 4)
            }
            try journal.environment.write { try $0.put(original, forKey: key, in: log) }
            #expect(try ChainVerifier(reader: journal.reader).verify().isIntact)
        }
    }

    @Test func removedRecordIsFoundAsMissing() async throws {
        try await withTemporaryFolder { path in
            let journal = try openJournal(at: path)
            _ = try await journal.append((0..<10).map { payload(appender: 0, index: $0) })
            await journal.close()
            let log = journal.environment.database(LogReader.databaseName)
            try journal.environment.write { _ = try $0.delete(forKey: LogEntryLayout.key(7), in: log) }
            let verification = try ChainVerifier(reader: journal.reader).verify()
            #expect(verification.firstBreak?.sequence == 7)
            #expect(verification.firstBreak?.reason.contains("missing") == true)
        }
    }

    @Test func truncatedRecordIsReportedNotCrashedOn() async throws {
        try await withTemporaryFolder { path in
            let journal = try openJournal(at: path)
            _ = try await journal.append((0..<3).map { payload(appender: 0, index: $0) })
            await journal.close()
            let log = journal.environment.database(LogReader.databaseName)
            try journal.environment.write { try $0.put([1, 2, 3], forKey: LogEntryLayout.key(2), in: log) }
            let verification = try ChainVerifier(reader: journal.reader).verify()
            #expect(verification.firstBreak?.sequence == 2)
            #expect(verification.intactCount == 1)
        }
    }
}
