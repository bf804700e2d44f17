import HooklogCore
import Testing

@Suite("Reducer: contract with the journal")
struct ReducerContractTests {
    typealias F = Fixture

    @Test func rejectedRecordChangesNothing() throws {
        var ledger = try F.ledgerWithPendingDelivery()
        let before = ledger.projections.snapshot()
        #expect(throws: ReducerError.self) { try ledger.append(F.finished()) }
        #expect(ledger.projections.snapshot() == before)
    }

    @Test func changesDependOnTheRecordAndSequenceButNotOnTheAppendTime() throws {
        let ledger = try F.ledgerWithPendingDelivery()
        let early = try Reducer.reduce(F.started(), sequence: 5, appendedAtMs: 0, state: ledger.projections)
        let late = try Reducer.reduce(F.started(), sequence: 5, appendedAtMs: .max, state: ledger.projections)
        #expect(early == late)
        #expect(!early.isEmpty)
    }

    @Test func reducerNeverDeletesAKeyThatIsAbsentNorTouchesAKeyTwice() throws {
        var ledger = try F.ledgerWithPendingDelivery()
        let records = [F.retry(dueAtMs: 1_000), F.started(), F.finished(status: 500), F.retry(dueAtMs: 3_000), F.cancelled()]
        for record in records {
            let changes = try Reducer.reduce(record, sequence: ledger.nextSequence, appendedAtMs: 0, state: ledger.projections)
            let slots = changes.map { "\($0.table)/\($0.key)" }
            #expect(Set(slots).count == slots.count)
            for case .delete(let table, let key) in changes {
                #expect(ledger.projections.value(in: table, forKey: key) != nil)
            }
            try ledger.append(record)
        }
    }

    @Test func storeFailureBecomesAReducerError() {
        struct FailingStore: ProjectionReading {
            struct Broken: Error {}
            func value(in table: ProjectionTable, forKey key: [UInt8]) throws -> [UInt8]? { throw Broken() }
        }
        #expect(throws: ReducerError.readFailed) { try Reducer.reduce(F.tenantCreated(), sequence: 1, appendedAtMs: 0, state: FailingStore()) }
    }

    @Test func corruptProjectionValueIsReportedNotCrashed() throws {
        var projections = MemoryProjections()
        projections.apply([.put(.tenants, key: ProjectionKeys.tenant(F.tenant), value: [1, 0xFF])])
        #expect(throws: ReducerError.corruptProjection) { try projections.apply(F.endpointCreated(), sequence: 2, appendedAtMs: 0) }
    }

    /// The lookup behind authentication reads a damaged `apiKeys` entry as damage, as the
    /// reducer does, not as an unknown key.
    @Test func aDamagedAPIKeyEntryIsReportedNotReadAsNoTenant() throws {
        let hash = SHA256Hasher.digest(Array("key".utf8))
        var projections = MemoryProjections()
        projections.apply([.put(.apiKeys, key: ProjectionKeys.apiKey(hash), value: [1, 2, 3])])
        #expect(throws: ReducerError.corruptProjection) { try projections.tenantId(forAPIKeyHash: hash) }
        #expect(try projections.tenantId(forAPIKeyHash: SHA256Hasher.digest(Array("other".utf8))) == nil)
    }

    @Test func everyTableHasADistinctDatabaseName() {
        #expect(Set(ProjectionTable.databaseNames).count == ProjectionTable.allCases.count)
        #expect(!ProjectionTable.databaseNames.contains("log"))
    }
}
