import HooklogCore
import HooklogJournal
import HooklogTestSupport
import Testing

@Suite("Projections in LMDB: live versus rebuilt")
struct ProjectionRebuildTests {
    /// Opens an environment holding a log and every projection.
    private static func openStoreEnvironment(at path: String) throws -> LMDBEnvironment {
        try LMDBEnvironment(
            .init(path: path, initialMapSizeBytes: 1 << 20),
            databaseNames: Journal.databaseNames + ProjectionTable.databaseNames + [ProjectionRebuilder.metaDatabaseName]
        )
    }

    /// Journals `records` into a new environment under `path`, rebuilds them into another with
    /// an overlay of `maxRowsInMemory` rows, expects the two alike, and returns the rebuilt one.
    private static func journalAndRebuild(_ records: [Record], at path: String, maxRowsInMemory: Int) async throws -> LMDBEnvironment {
        let live = try Self.openStoreEnvironment(at: path + "/live")
        let journal = Journal(environment: live, projector: ReducingProjector(environment: live), logger: quietLogger)
        _ = try await journal.write { writer in
            for record in records { try writer.append(record) }
        }
        await journal.close()
        let scratch = try Self.openStoreEnvironment(at: path + "/rebuilt")
        try ProjectionRebuilder(source: journal.reader, target: scratch, maxRowsInMemory: maxRowsInMemory).rebuild()
        let difference = try ProjectionComparison.firstDifference(between: live, and: scratch)
        #expect(difference == nil, "\(difference ?? "")")
        return scratch
    }

    @Test(.timeLimit(.minutes(3)))
    func liveAndRebuiltProjectionsAreByteIdenticalForRandomStreams() async throws {
        for seed in UInt64(0)..<120 {
            try await withTemporaryFolder { path in
                let live = try Self.openStoreEnvironment(at: path + "/live")
                let journal = Journal(environment: live, projector: ReducingProjector(environment: live), logger: quietLogger)
                var generator = RecordStreamGenerator(seed: seed)
                var batchSizes = SeededGenerator(seed: seed)
                var memory = MemoryProjections()
                var sequence: UInt64 = 0
                for _ in 0..<12 {
                    // One write request per group of commands, as the live service batches them.
                    let commands = (0..<Int.random(in: 1...25, using: &batchSizes)).map { _ in generator.nextCommand() }
                    let records = commands.flatMap { $0 }
                    _ = try await journal.write { writer in
                        for record in records { try writer.append(record) }
                    }
                    for record in records {
                        sequence += 1
                        try memory.apply(record, sequence: sequence, appendedAtMs: 0)
                    }
                    if let impossible = generator.impossibleRecord() {
                        await #expect(throws: (any Error).self, "seed \(seed): \(impossible.kind) was accepted") {
                            try await journal.write { writer in try writer.append(impossible) }
                        }
                    }
                }
                await journal.close()
                #expect(try journal.reader.head().sequence == sequence)

                let scratch = try Self.openStoreEnvironment(at: path + "/rebuilt")
                // A small overlay flushes often: later records then read, replace and delete
                // keys that earlier flushes wrote to LMDB, not just keys still in memory.
                let applied = try ProjectionRebuilder(source: journal.reader, target: scratch, maxRowsInMemory: 1 + Int(seed % 40))
                    .rebuild()
                #expect(applied == sequence)
                let difference = try ProjectionComparison.firstDifference(between: live, and: scratch)
                #expect(difference == nil, "seed \(seed): \(difference ?? "")")
                try Self.expect(live, holds: memory, seed: seed)

                if seed % 10 == 0 {
                    try ProjectionRebuilder(source: journal.reader, target: live).rebuild()
                    #expect(try ProjectionComparison.firstDifference(between: live, and: scratch) == nil, "seed \(seed): in place")
                    #expect(try !ProjectionRebuilder.isInterrupted(live))
                }
            }
        }
    }

    /// An API key one tenant lets go of and another takes, in one flush, with the taker's row
    /// held first: the flush deletes the releaser's old index entry and puts the taker's under
    /// the same key, and the put must win whatever order the rows come in.
    @Test func anAPIKeyPassedBetweenTenantsInOneFlushRebuildsAsJournaled() async throws {
        try await withTemporaryFolder { path in
            let (a, b, c) = (TenantID(rawValue: 1), TenantID(rawValue: 2), TenantID(rawValue: 3))
            let key = { (byte: UInt8) in SHA256Hasher.digest([byte]) }
            let tenant = { (id: TenantID, byte: UInt8) in
                Record.tenantCreated(TenantCreated(tenantId: id, name: "t", apiKeyHash: key(byte), defaultSigningSecret: "whsec_A", createdAtMs: 1))
            }
            let rotated = { (id: TenantID, byte: UInt8) in Record.tenantAPIKeyRotated(TenantAPIKeyRotated(tenantId: id, apiKeyHash: key(byte), rotatedAtMs: 2)) }
            let records: [Record] = [
                // Three rows held: the first flush writes the three tenants.
                tenant(a, 7), tenant(b, 9), tenant(c, 11),
                // B's row is held before A's, and takes the key A let go of.
                rotated(b, 10), rotated(a, 8), rotated(b, 7),
            ]
            let scratch = try await Self.journalAndRebuild(records, at: path, maxRowsInMemory: 3)
            let owner = try scratch.read { try TransactionProjections(transaction: $0, databases: ProjectionDatabases(environment: scratch)).tenantId(forAPIKeyHash: key(7)) }
            #expect(owner == b)
        }
    }

    /// The reducer accepts an endpoint id used again after a delete; the API never does it, but a
    /// rebuild must still give what the journal gave: the new endpoint listed under its tenant only.
    @Test func anEndpointCreatedAgainAfterItsDeleteRebuildsAsJournaled() async throws {
        try await withTemporaryFolder { path in
            let endpointId = EndpointID(rawValue: 7)
            let tenants = [TenantID(rawValue: 1), TenantID(rawValue: 2)]
            func endpoint(of tenantId: TenantID) -> Record {
                .endpointCreated(EndpointCreated(
                    endpointId: endpointId, tenantId: tenantId, url: "https://hooks.example/in", description: "", enabledEvents: [],
                    profile: "standard", signingSecret: "whsec_AAAA", bearerToken: nil, metadata: nil, createdAtMs: 1_000
                ))
            }
            // Three rows held (two tenants, the endpoint) make the first flush, which writes the
            // endpoint to LMDB; the delete reads it back from there into the overlay, and the second
            // create meets it there, removed, with its flushed original (two rows, so no flush
            // comes between them).
            let records: [Record] = [
                .tenantCreated(TenantCreated(tenantId: tenants[0], name: "a", apiKeyHash: SHA256Hasher.digest([1]), defaultSigningSecret: "whsec_A", createdAtMs: 1)),
                .tenantCreated(TenantCreated(tenantId: tenants[1], name: "b", apiKeyHash: SHA256Hasher.digest([2]), defaultSigningSecret: "whsec_B", createdAtMs: 1)),
                endpoint(of: tenants[0]),
                .endpointDeleted(EndpointDeleted(tenantId: tenants[0], endpointId: endpointId, deletedAtMs: 2_000)),
                endpoint(of: tenants[1]),
            ]
            let scratch = try await Self.journalAndRebuild(records, at: path, maxRowsInMemory: 3)
            let listed = try scratch.read { transaction in
                var keys: [[UInt8]] = []
                try TransactionProjections(transaction: transaction, databases: ProjectionDatabases(environment: scratch)).scan(.tenantEndpoints) { key, _ in
                    keys.append(Array(key))
                    return true
                }
                return keys
            }
            #expect(listed == [ProjectionKeys.tenantEndpoint(tenantId: tenants[1], createdSequence: 5, endpointId: endpointId)])
        }
    }

    /// Found before anything is emptied: the live projections stay as they were.
    @Test func aRebuildRefusesALogWithAGapNamingTheMissingSequence() async throws {
        try await Self.withDamagedLog({ log, transaction in
            _ = try transaction.delete(forKey: LogEntryLayout.key(4), in: log)
        }) { error, live in
            #expect(error.sequence == 4 && error.reason.contains("missing"), "\(error)")
            let inPlace = try #require(throws: LogFormatError.self) {
                try ProjectionRebuilder(source: LogReader(environment: live), target: live).rebuild()
            }
            #expect(inPlace.sequence == 4)
            #expect(try !ProjectionRebuilder.isInterrupted(live), "nothing was emptied")
            #expect(try live.read { try $0.entryCount(of: live.database(ProjectionTable.deliveries.rawValue)) } > 0)
        }
    }

    /// A record journaled whole (its chain intact) in a codec version this build does not know,
    /// as a newer build's would be: named by sequence when the replay meets it.
    @Test func anIntactRecordThatCannotBeReplayedIsNamedBySequence() async throws {
        try await withTemporaryFolder { path in
            var generator = RecordStreamGenerator(seed: 7)
            var stream: [Record] = []
            while stream.count < 10 { stream += generator.nextCommand() }
            var payloads = stream.map { $0.encode() }
            payloads[4][0] = 0xFF
            let journal = try openJournal(at: path + "/log")
            _ = try await journal.append(payloads)
            await journal.close()
            let scratch = try Self.openStoreEnvironment(at: path + "/rebuilt")
            let error = try #require(throws: LogFormatError.self) {
                try ProjectionRebuilder(source: journal.reader, target: scratch).rebuild()
            }
            #expect(error.sequence == 5 && error.reason.contains("cannot be replayed"), "\(error)")
        }
    }

    /// A byte of an event's raw body changed (a disk fault, or tampering): the record still
    /// decodes, and replayed it would pass into the projections unseen. The broken chain is found
    /// first, and the log refused before anything is emptied.
    @Test func aChangedRecordThatStillDecodesIsRefusedBeforeAnythingIsEmptied() async throws {
        var changed: UInt64 = 0
        try await Self.withDamagedLog({ log, transaction in
            for sequence in UInt64(1)...10 {
                var stored = try #require(try transaction.value(forKey: LogEntryLayout.key(sequence), in: log))
                let record = try stored.withUnsafeBytes { try Record(decoding: UnsafeRawBufferPointer(rebasing: $0[LogEntryLayout.headerByteCount...])) }
                guard case .eventReceived(let event) = record, event.rawBody.count > 2,
                    let start = stored.indices.first(where: { stored[$0...].starts(with: event.rawBody) })
                else { continue }
                stored[start + 1] ^= 0x01
                try transaction.put(stored, forKey: LogEntryLayout.key(sequence), in: log)
                changed = sequence
                return
            }
            Issue.record("the stream holds no event with a body")
        }) { error, live in
            #expect(error.sequence == changed && error.reason.contains("hooklog verify"), "\(error)")
            let inPlace = try #require(throws: LogFormatError.self) {
                try ProjectionRebuilder(source: LogReader(environment: live), target: live).rebuild()
            }
            #expect(inPlace.sequence == changed)
            #expect(try !ProjectionRebuilder.isInterrupted(live), "nothing was emptied")
            #expect(try live.read { try $0.entryCount(of: live.database(ProjectionTable.deliveries.rawValue)) } > 0)
        }
    }

    /// A record damaged so that it no longer decodes: the replay may meet it before the chain's
    /// walk (on other threads) ends, and the error names the broken chain, not a record a newer
    /// build wrote.
    @Test func aDamagedRecordTheReplayMeetsIsNamedAsTheChainsBreak() async throws {
        try await Self.withDamagedLog({ log, transaction in
            var stored = try #require(try transaction.value(forKey: LogEntryLayout.key(5), in: log))
            stored[LogEntryLayout.headerByteCount] = 0xFF  // the record's codec version
            try transaction.put(stored, forKey: LogEntryLayout.key(5), in: log)
        }) { error, live in
            #expect(error.sequence == 5 && error.reason.contains("chain hash does not match"), "\(error)")
            let inPlace = try #require(throws: LogFormatError.self) {
                try ProjectionRebuilder(source: LogReader(environment: live), target: live).rebuild()
            }
            #expect(inPlace.sequence == 5 && inPlace.reason.contains("chain hash does not match"), "\(inPlace)")
            #expect(try !ProjectionRebuilder.isInterrupted(live), "nothing was emptied")
        }
    }

    /// Journals a short stream, damages its log with `damage`, and hands `check` the error a
    /// rebuild into a scratch environment fails with, and the damaged environment.
    private static func withDamagedLog(
        _ damage: (Database, WriteTransaction) throws -> Void,
        check: (LogFormatError, LMDBEnvironment) throws -> Void
    ) async throws {
        try await withTemporaryFolder { path in
            let live = try Self.openStoreEnvironment(at: path + "/live")
            let journal = Journal(environment: live, projector: ReducingProjector(environment: live), logger: quietLogger)
            var generator = RecordStreamGenerator(seed: 7)
            var stream: [Record] = []
            while stream.count < 10 { stream += generator.nextCommand() }
            let records = stream
            _ = try await journal.write { writer in
                for record in records { try writer.append(record) }
            }
            await journal.close()
            try live.write { try damage(live.database(LogReader.databaseName), $0) }
            let scratch = try Self.openStoreEnvironment(at: path + "/rebuilt")
            let error = try #require(throws: LogFormatError.self) {
                try ProjectionRebuilder(source: journal.reader, target: scratch).rebuild()
            }
            try check(error, live)
        }
    }

    @Test func interruptedRebuildIsNoticed() async throws {
        try await withTemporaryFolder { path in
            let environment = try Self.openStoreEnvironment(at: path)
            let meta = environment.database(ProjectionRebuilder.metaDatabaseName)
            #expect(try !ProjectionRebuilder.isInterrupted(environment))
            // What a rebuild killed between its chunks leaves behind.
            try environment.write { try $0.put([1], forKey: Array("projections.rebuilding".utf8), in: meta) }
            #expect(try ProjectionRebuilder.isInterrupted(environment))
            try ProjectionRebuilder(source: LogReader(environment: environment), target: environment)
                .rebuild()
            #expect(try !ProjectionRebuilder.isInterrupted(environment))
        }
    }

    @Test func projectionsOfAnOlderLayoutAreRebuiltWhenTheStoreOpens() async throws {
        try await withTemporaryFolder { path in
            let deliveryId: DeliveryID
            do {
                let store = try HooklogStore(path: path, initialMapSizeBytes: 1 << 20, logger: quietLogger)
                let tenantId = try await store.createTenant(name: "t", apiKeyHash: SHA256Hasher.digest([1]), defaultSigningSecret: "whsec_AAAA", nowMs: 1_000)
                _ = try await store.createEndpoint(tenantId: tenantId, EndpointDraft(url: "https://hooks.example/in", signingSecret: "whsec_BBBB"), nowMs: 1_000).endpointId
                let event = try await store.ingest(EventSubmission(tenantId: tenantId, type: "call.completed", rawBody: Array(#"{"data":{}}"#.utf8)))
                deliveryId = try #require(event.deliveries.first?.deliveryId)
                await store.close()
            }
            do {
                // What layout 1 left: due entries without targets, no targetDue, no layout stamp.
                let environment = try LMDBEnvironment(.init(path: path), databaseNames: HooklogStore.databaseNames)
                let due = environment.database(ProjectionTable.due.rawValue)
                let meta = environment.database(ProjectionRebuilder.metaDatabaseName)
                try environment.write { transaction in
                    let dueKey = try #require(try transaction.withCursor(over: due) { try $0.first().map { Array($0.key) } })
                    #expect(ProjectionKeys.parseDue(dueKey)?.deliveryId == deliveryId)
                    try transaction.put([], forKey: dueKey, in: due)
                    try transaction.removeAll(in: environment.database(ProjectionTable.targetDue.rawValue))
                    try transaction.delete(forKey: Array("projections.layout".utf8), in: meta)
                }
                #expect(try ProjectionRebuilder.reasonToRebuild(environment) != nil)
            }
            let messages = RecordingLogHandler.Messages()
            let store = try HooklogStore(path: path, initialMapSizeBytes: 1 << 20, logger: RecordingLogHandler.logger(into: messages))
            #expect(try ProjectionRebuilder.reasonToRebuild(store.environment) == nil)
            // Said before and after, with how many records: the service answers nothing meanwhile.
            #expect(messages.count(containing: "rebuilding every projection from the log before serving") == 1)
            #expect(messages.count(containing: "rebuilt every projection") == 1)
            let waiting = try store.dueDeliveries(atOrBeforeMs: .max, limit: 10, examiningAtMost: 10).deliveries
            #expect(waiting.map(\.deliveryId) == [deliveryId])
            let target = try #require(waiting.first?.target)
            #expect(try store.dueDeliveries(to: target, atOrBeforeMs: .max, limit: 10).map(\.deliveryId) == [deliveryId])
            await store.close()
        }
    }

    /// The LMDB tables hold exactly what the in-memory store holds.
    private static func expect(_ environment: LMDBEnvironment, holds memory: MemoryProjections, seed: UInt64) throws {
        let databases = ProjectionDatabases(environment: environment)
        for table in ProjectionTable.allCases {
            let stored = try environment.read { transaction in
                var entries: [(key: [UInt8], value: [UInt8])] = []
                try TransactionProjections(transaction: transaction, databases: databases).scan(table) { key, value in
                    entries.append((Array(key), Array(value)))
                    return true
                }
                return entries
            }
            let expected = memory.entries(in: table)
            #expect(stored.map(\.key) == expected.map(\.key), "seed \(seed): keys of \(table)")
            #expect(stored.map(\.value) == expected.map(\.value), "seed \(seed): values of \(table)")
        }
    }
}
