import HooklogJournal
import Testing

/// LMDB's code for "a fatal error occurred earlier": every transaction is refused until the
/// environment is opened again (`MDB_PANIC`).
let lmdbPanicCode: Int32 = -30_795

/// After LMDB panics, the journal takes no more writes and says so to whoever waits.
@Suite("Journal failure", .timeLimit(.minutes(1)))
struct JournalFailureTests {
    @Test func afterLMDBPanicsTheJournalRefusesEveryWriteAndTellsItsWaiters() async throws {
        try await withTemporaryFolder { path in
            let journal = try openJournal(at: path)
            _ = try await journal.append(Array("before".utf8))
            let waiter = Task { await journal.failedForGood() }
            let panic = LMDBError(code: lmdbPanicCode, operation: "mdb_txn_begin")
            await #expect(throws: panic) {
                try await journal.write { _ in throw panic }
            }
            let heard = await waiter.value
            #expect(heard as? LMDBError == panic)
            await #expect(throws: JournalError.failed(panic)) {
                try await journal.append(Array("after".utf8))
            }
            #expect(await journal.failedForGood() as? LMDBError == panic, "a later waiter hears it at once")
            #expect(try journal.reader.head().sequence == 1)
            await journal.close()
        }
    }

    @Test func aWaiterThatIsCancelledHearsNothing() async throws {
        try await withTemporaryFolder { path in
            let journal = try openJournal(at: path)
            let waiter = Task { await journal.failedForGood() }
            try await Task.sleep(for: .milliseconds(20))
            waiter.cancel()
            #expect(await waiter.value == nil)
            _ = try await journal.append(Array("still open".utf8))
            await journal.close()
        }
    }
}
