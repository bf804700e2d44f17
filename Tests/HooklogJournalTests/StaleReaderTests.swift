import Foundation
import HooklogJournal
import HooklogTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A process killed inside a read transaction (a tool stopped with Ctrl-C or kill -9) leaves its
/// reader slot behind; while it stays, LMDB cannot reuse the pages freed after its snapshot and
/// every commit grows the file. The writer frees such slots as it goes.
@Suite("Stale LMDB readers", .timeLimit(.minutes(1)))
struct StaleReaderTests {
    @Test func theSlotOfAReaderWhoseProcessDiedIsFreedByTheWriter() async throws {
        try await withTemporaryFolder { path in
            let journal = try openJournal(at: path, configuration: JournalConfiguration(staleReaderCheckIntervalMs: 20))
            _ = try await journal.append(Array("before the reader".utf8))

            let output = Pipe()
            let reader = Process()
            reader.executableURL = URL(fileURLWithPath: try BuiltProducts.executable("StaleReaderChild"))
            reader.arguments = [path]
            reader.standardOutput = output
            try reader.run()
            let handle = output.fileHandleForReading
            let started = try await OwnThread.run { String(decoding: handle.availableData, as: UTF8.self) }
            #expect(started.hasPrefix("reading"), "the reader did not start: \(started)")
            kill(reader.processIdentifier, SIGKILL)
            reader.waitUntilExit()

            // Commits past the check's interval: the writer frees the dead reader's slot.
            for index in 0..<10 {
                _ = try await journal.append(Array("after the reader \(index)".utf8))
                try await Task.sleep(for: .milliseconds(30))
            }
            #expect(try journal.environment.clearStaleReaders() == 0, "the dead reader's slot was still taken")
            await journal.close()
        }
    }
}
