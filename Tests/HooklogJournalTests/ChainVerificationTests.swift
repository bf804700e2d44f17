import Foundation
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
            let entries = try journal.reader.entries(from: 1, limit: 2)
            #expect(entries.map(\.sequence) == [1, 2] && entries.map(\.payload) == [Array("first".utf8), Array("second".utf8)])
            var previous = SHA256Digest.zero
            for (sequence, entry) in zip([UInt64(1), 2], entries) {
                #expect(entry.appendedAtMs == 1_700_000_000_123, "the journal's clock")
                // SHA-256(previous hash ‖ sequence ‖ version ‖ appendedAtMs ‖ payload), integers big-endian.
                var message = previous.bytes
                message += withUnsafeBytes(of: sequence.bigEndian) { Array($0) }
                message.append(LogEntryLayout.currentVersion)
                message += withUnsafeBytes(of: UInt64(1_700_000_000_123).bigEndian) { Array($0) }
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
            let journal = try await Self.journal(of: 10, at: path) { transaction, log in
                _ = try transaction.delete(forKey: LogEntryLayout.key(7), in: log)
            }
            let verification = try ChainVerifier(reader: journal.reader).verify()
            #expect(verification.firstBreak?.sequence == 7)
            #expect(verification.firstBreak?.reason.contains("missing") == true)
        }
    }

    /// Walked in segments, an entry missing at a segment's end is named as a walk from the start
    /// names it, by whichever segment reports it: the log goes on after it.
    @Test(arguments: [UInt64(3), 5, 6])
    func anEntryMissingAtASegmentsEdgeIsNamedAsOneWalkWould(missing: UInt64) async throws {
        try await withTemporaryFolder { path in
            let journal = try await Self.journal(of: 10, at: path) { transaction, log in
                _ = try transaction.delete(forKey: LogEntryLayout.key(missing), in: log)
            }
            // Two segments: 1...5 and 6...10.
            let verification = try ChainVerifier(reader: journal.reader, segmentCount: 2, segmentedFromCount: 4).verify()
            #expect(verification.firstBreak?.sequence == missing)
            #expect(verification.firstBreak?.reason == "missing: the next entry found is \(missing + 1)", "\(String(describing: verification.firstBreak))")
            #expect(verification.intactCount == missing - 1)
        }
    }

    /// A gap followed by an unreadable entry is a break at the gap, which comes first.
    @Test func aMissingEntryBeforeAnUnreadableOneIsTheBreak() async throws {
        try await withTemporaryFolder { path in
            let journal = try await Self.journal(of: 10, at: path) { transaction, log in
                _ = try transaction.delete(forKey: LogEntryLayout.key(5), in: log)
                try transaction.put([1, 2, 3], forKey: LogEntryLayout.key(6), in: log)
            }
            for verifier in [ChainVerifier(reader: journal.reader), ChainVerifier(reader: journal.reader, segmentCount: 2, segmentedFromCount: 4)] {
                let verification = try verifier.verify()
                #expect(verification.firstBreak?.sequence == 5, "\(String(describing: verification.firstBreak))")
                #expect(verification.firstBreak?.reason.hasPrefix("missing: the next entry found, 6, cannot be read") == true)
            }
        }
    }

    /// Of the two segments that name the entry at their edge, the earlier one's reason stands,
    /// whichever finishes first: a key damaged in place is what one walk from the start meets.
    @Test func aDamagedKeyAtASegmentsEdgeIsNamedAsOneWalkWould() async throws {
        try await withTemporaryFolder { path in
            // Two segments, 1...500 and 501...1000; the edge entry's key damaged to 2.
            let single = try await Self.verifyAfterDamagingKey(of: 500, to: 2, appending: 1_000, at: path + "/single")
            #expect(single.firstBreak?.sequence == 500)
            let journal = try openJournal(at: path + "/single")
            for _ in 0..<20 {
                let segmented = try ChainVerifier(reader: journal.reader, segmentCount: 2, segmentedFromCount: 4).verify()
                #expect(segmented.firstBreak == single.firstBreak, "\(String(describing: segmented.firstBreak)) against \(String(describing: single.firstBreak))")
            }
            await journal.close()
        }
    }

    /// A record too short to hold an entry's header is a break at its sequence, in the middle of
    /// the log or at its end (where reading the head alone would fail on it).
    @Test(arguments: [UInt64(2), 6])
    func truncatedRecordIsReportedNotCrashedOn(sequence: UInt64) async throws {
        try await withTemporaryFolder { path in
            let journal = try await Self.journal(of: 6, at: path) { transaction, log in
                try transaction.put([1, 2, 3], forKey: LogEntryLayout.key(sequence), in: log)
            }
            let verification = try ChainVerifier(reader: journal.reader).verify()
            #expect(verification.firstBreak?.sequence == sequence)
            #expect(verification.intactCount == sequence - 1)
            #expect(verification.intactHead.sequence == sequence - 1)
        }
    }

    @Test func aLastKeyDamagedToAnEarlierNumberIsABreakNotAShorterLog() async throws {
        try await withTemporaryFolder { path in
            let count: UInt64 = 1_000
            // Sequence 1000's key damaged to 992 sorts last, where LMDB's last entry is read.
            let verification = try await Self.verifyAfterDamagingKey(of: count, to: 992, appending: count, at: path)
            #expect(verification.firstBreak?.sequence == count)
            #expect(verification.intactCount == count - 1)
            #expect(verification.intactHead.sequence == count - 1 && verification.intactHead.chainHash != .zero)
        }
    }

    @Test func aLastKeyDamagedToAHugeNumberIsABreakAndDoesNotOverflow() async throws {
        try await withTemporaryFolder { path in
            let verification = try await Self.verifyAfterDamagingKey(of: 1_000, to: .max, appending: 1_000, at: path)
            #expect(verification.firstBreak?.sequence == 1_000)
            #expect(verification.intactCount == 999)
            #expect(verification.intactHead.sequence == 999 && verification.intactHead.chainHash != .zero)
        }
    }

    /// A break is reported as a walk from the start would meet it, even when a later segment
    /// cannot be read at all (LMDB itself fails there): a walk stops at the break, before it.
    /// With no break before it, LMDB's failure is what the walk meets, and it is thrown.
    @Test func aBreakBeforeASegmentLMDBCannotReadIsTheBreakAndNotLMDBsError() async throws {
        try await withTemporaryFolder { path in
            do {
                let journal = try openJournal(at: path)
                _ = try await journal.append((0..<1_000).map { payload(appender: 0, index: $0) })
                await journal.close()
            }
            // Two segments, 1...500 and 501...1000; the branch page's link to a leaf of the second
            // points past the end of the file, as a disk fault could leave it.
            try Self.breakLinkToLeaf(holdingSequenceFrom: 700, inDataFileOf: path)
            let verifier = { (journal: Journal) in ChainVerifier(reader: journal.reader, segmentCount: 2, segmentedFromCount: 4) }
            do {
                let journal = try openJournal(at: path)
                #expect(throws: LMDBError.self, "no break before it: LMDB's failure is met first") { try verifier(journal).verify() }
                let log = journal.environment.database(LogReader.databaseName)
                let key = LogEntryLayout.key(10)
                var tampered = try #require(try journal.environment.read { try $0.value(forKey: key, in: log) })
                tampered[tampered.count - 1] ^= 0x01
                try journal.environment.write { try $0.put(tampered, forKey: key, in: log) }
                for _ in 0..<10 {
                    let verification = try verifier(journal).verify()
                    #expect(verification.firstBreak?.sequence == 10, "\(String(describing: verification.firstBreak))")
                }
                await journal.close()
            }
        }
    }

    /// Points the branch-page link to the leaf whose first key is the first sequence from
    /// `sequence` on that starts a leaf at a page that does not exist, in every branch page
    /// that holds it (LMDB then fails with `MDB_PAGE_NOTFOUND` on reaching that leaf).
    private static func breakLinkToLeaf(holdingSequenceFrom sequence: UInt64, inDataFileOf path: String) throws {
        let file = path + "/data.mdb"
        var bytes = try #require(FileManager.default.contents(atPath: file).map { [UInt8]($0) })
        let pageBytes = 4096
        let branchFlag: UInt8 = 0x01
        for candidate in sequence..<(sequence + 200) {
            let key = LogEntryLayout.key(candidate)
            let places = (8...(bytes.count - key.count)).filter { place in
                // A branch node: its page is a branch page and its header says an 8-byte key.
                bytes[place..<place + key.count].elementsEqual(key)
                    && bytes[(place / pageBytes) * pageBytes + 10] & branchFlag != 0
                    && bytes[place - 2] == 8 && bytes[place - 1] == 0
            }
            guard !places.isEmpty else { continue }
            // The node's page number: its first six bytes (mn_lo, mn_hi, mn_flags).
            for place in places { bytes.replaceSubrange(place - 8..<place - 2, with: [UInt8](repeating: 0xFF, count: 6)) }
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            return
        }
        Issue.record("no branch page links to a leaf starting at \(sequence)...\(sequence + 199)")
    }

    /// A closed journal of `count` records, then changed by `damage` in one write transaction
    /// on its log (its reader still reads it).
    private static func journal(
        of count: Int,
        at path: String,
        damagedBy damage: (WriteTransaction, Database) throws -> Void
    ) async throws -> Journal {
        let journal = try openJournal(at: path)
        _ = try await journal.append((0..<count).map { payload(appender: 0, index: $0) })
        await journal.close()
        let log = journal.environment.database(LogReader.databaseName)
        try journal.environment.write { try damage($0, log) }
        return journal
    }

    /// Appends `count` records, closes, rewrites the bytes of `sequence`'s key inside the data
    /// file (as a disk fault would, leaving LMDB's page as it was otherwise), and verifies.
    private static func verifyAfterDamagingKey(of sequence: UInt64, to damaged: UInt64, appending count: UInt64, at path: String) async throws -> ChainVerification {
        do {
            let journal = try openJournal(at: path)
            _ = try await journal.append((0..<Int(count)).map { payload(appender: 0, index: $0) })
            await journal.close()
        }
        let file = path + "/data.mdb"
        var bytes = try #require(FileManager.default.contents(atPath: file).map { [UInt8]($0) })
        let original = LogEntryLayout.key(sequence)
        let places = (0...(bytes.count - original.count)).filter { bytes[$0..<$0 + original.count].elementsEqual(original) }
        try #require(places.count == 1, "the key's bytes are found \(places.count) times")
        bytes.replaceSubrange(places[0]..<places[0] + original.count, with: LogEntryLayout.key(damaged))
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        let journal = try openJournal(at: path)
        let verification = try ChainVerifier(reader: journal.reader).verify()
        await journal.close()
        return verification
    }
}
