import Foundation
import HooklogJournal
import Testing

@Suite("Data directory lock")
struct DataDirectoryLockTests {
    @Test func heldLockRefusesASecondHolderAndIsFreedWhenReleased() async throws {
        try await withTemporaryFolder { path in
            var lock: DataDirectoryLock? = try DataDirectoryLock.acquire(path)
            #expect(lock != nil)
            // flock belongs to the open file, so even this process cannot take it twice.
            #expect(DataDirectoryLock.isHeld(path))
            #expect(throws: DataDirectoryLockError.self) { _ = try DataDirectoryLock.acquire(path) }
            lock = nil
            #expect(!DataDirectoryLock.isHeld(path))
        }
    }

    @Test func lockHeldByAnotherProcessIsRefusedUntilThatProcessEnds() async throws {
        try await withTemporaryFolder { path in
            // flock(1) holds the lock from another process, as a running server would.
            let holder = Process()
            holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
            holder.arguments = [path + "/" + DataDirectoryLock.fileName, "sleep", "2"]
            try holder.run()
            var waitedMs = 0
            while !DataDirectoryLock.isHeld(path) && waitedMs < 5_000 {
                try await Task.sleep(for: .milliseconds(20))
                waitedMs += 20
            }
            let error = try #require(throws: DataDirectoryLockError.self) { _ = try DataDirectoryLock.acquire(path) }
            #expect(error.isHeld && error.description.contains("in use by a running Hooklog"))
            holder.waitUntilExit()
            #expect(!DataDirectoryLock.isHeld(path))
        }
    }
}
