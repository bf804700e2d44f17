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
            #expect(DataDirectoryLock.holder(of: path) != nil)
            #expect(throws: DataDirectoryLockError.self) { _ = try DataDirectoryLock.acquire(path) }
            lock = nil
            #expect(DataDirectoryLock.holder(of: path) == nil)
        }
    }

    /// A lock file deleted under its holder (taken for a stale one) frees nothing: a second
    /// server would deliver what the first does, and its preallocation could zero committed pages.
    @Test func aLockFileDeletedUnderItsHolderStillRefusesASecondHolder() async throws {
        try await withTemporaryFolder { path in
            var lock: DataDirectoryLock? = try DataDirectoryLock.acquire(path)
            try FileManager.default.removeItem(atPath: path + "/" + DataDirectoryLock.fileName)
            let error = try #require(throws: DataDirectoryLockError.self) { _ = try DataDirectoryLock.acquire(path) }
            #expect(error.isHeld && error.description.contains("in use by a running Hooklog"), "\(error)")
            lock = nil
            _ = try DataDirectoryLock.acquire(path)  // free once the holder lets go
            withExtendedLifetime(lock) {}
        }
    }

    /// A server writes where it listens under its pid; those who only look never take the lock
    /// nor write the file, and a refused taker still names the holder's pid.
    @Test func theHolderSaysWhereItListensAndLookingChangesNothing() async throws {
        try await withTemporaryFolder { path in
            #expect(DataDirectoryLock.holder(of: path) == nil, "no lock file yet")
            let lock = try DataDirectoryLock.acquire(path)
            let pid = ProcessInfo.processInfo.processIdentifier
            let starting = try #require(DataDirectoryLock.holder(of: path))
            #expect(starting.processID == pid && starting.listeningURL == nil)
            lock.recordListeningURL("http://127.0.0.1:8080")
            let listening = try #require(DataDirectoryLock.holder(of: path))
            #expect(listening.processID == pid && listening.listeningURL == "http://127.0.0.1:8080")
            let error = try #require(throws: DataDirectoryLockError.self) { _ = try DataDirectoryLock.acquire(path) }
            #expect(error.description.contains("(process \(pid),"), "\(error)")
            // Read while being written, a URL without its line end is not one yet.
            let file = path + "/" + DataDirectoryLock.fileName
            try Data("\(pid)\nhttp://127.0.0.1:80".utf8).write(to: URL(fileURLWithPath: file))
            let torn = try #require(DataDirectoryLock.holder(of: path), "still held")
            #expect(torn.processID == pid && torn.listeningURL == nil)
            lock.recordListeningURL("http://127.0.0.1:8080")
            withExtendedLifetime(lock) {}
        }
        try await withTemporaryFolder { path in
            do {
                let lock = try DataDirectoryLock.acquire(path)
                lock.recordListeningURL("http://127.0.0.1:8080")
            }
            let released = FileManager.default.contents(atPath: path + "/" + DataDirectoryLock.fileName)
            #expect(released == Data("\(ProcessInfo.processInfo.processIdentifier)\n".utf8), "a released lock names no URL")
        }
        try await withTemporaryFolder { path in
            do { _ = try DataDirectoryLock.acquire(path) }
            let file = path + "/" + DataDirectoryLock.fileName
            try Data("4242\n".utf8).write(to: URL(fileURLWithPath: file))
            #expect(DataDirectoryLock.holder(of: path) == nil)
            #expect(FileManager.default.contents(atPath: file) == Data("4242\n".utf8), "a look writes nothing")
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
            while DataDirectoryLock.holder(of: path) == nil && waitedMs < 5_000 {
                try await Task.sleep(for: .milliseconds(20))
                waitedMs += 20
            }
            let error = try #require(throws: DataDirectoryLockError.self) { _ = try DataDirectoryLock.acquire(path) }
            #expect(error.isHeld && error.description.contains("in use by a running Hooklog"))
            holder.waitUntilExit()
            #expect(DataDirectoryLock.holder(of: path) == nil)
        }
    }
}
