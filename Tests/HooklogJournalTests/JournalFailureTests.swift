import Foundation
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

    /// LMDB writes meta pages through their own synchronous descriptor; once such a write fails,
    /// the commit fails with that write's error (not `MDB_PANIC`) and LMDB refuses every later
    /// transaction. The journal must hear it then, not at the next write, which may be long in coming.
    @Test func aCommitWhoseMetaPageCannotBeWrittenFailsTheJournalAtOnce() async throws {
        try await withTemporaryFolder { path in
            let journal = try openJournal(at: path)
            _ = try await journal.append(Array("before".utf8))
            let waiter = Task { await journal.failedForGood() }
            try breakMetaPageWrites(ofDataFileIn: path)
            await #expect(throws: LMDBError.self) {
                try await journal.append(Array("meta page lost".utf8))
            }
            let heard = await withTaskGroup(of: (any Error)?.self) { group in
                group.addTask { await waiter.value }
                group.addTask {
                    try? await Task.sleep(for: .seconds(5))
                    waiter.cancel()
                    return nil
                }
                defer { group.cancelAll() }
                return await group.next()!
            }
            #expect((heard as? LMDBError)?.isPanic == true, "heard \(String(describing: heard))")
            #expect(throws: LMDBError.self) { try journal.reader.head() }
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

/// Makes every write through LMDB's meta-page descriptor of `folder`'s data file fail (`EBADF`),
/// as a disk failing under it would (`EIO`): the descriptor opened `O_DSYNC` on `data.mdb` is
/// replaced with one open for reading only.
private func breakMetaPageWrites(ofDataFileIn folder: String) throws {
    let dataFile = URL(fileURLWithPath: folder).appendingPathComponent("data.mdb").resolvingSymlinksInPath().path
    let readOnly = open(dataFile, O_RDONLY)
    #expect(readOnly >= 0)
    defer { close(readOnly) }
    var replaced = 0
    for name in try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
        guard let descriptor = Int32(name),
              let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(name)"),
              target == dataFile,
              fcntl(descriptor, F_GETFL) & O_DSYNC == O_DSYNC
        else { continue }
        #expect(dup2(readOnly, descriptor) == descriptor)
        replaced += 1
    }
    #expect(replaced == 1, "LMDB's meta-page descriptor of \(dataFile)")
}
