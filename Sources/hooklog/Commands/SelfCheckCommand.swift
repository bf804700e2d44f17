import ArgumentParser
import Foundation
import HooklogJournal
import Logging

/// `hooklog selfcheck`: opens the journal in the data directory, verifies it, and proves group
/// commit on this machine with a scratch journal beside it.
struct SelfCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "selfcheck",
        abstract: "Open and verify the journal, then measure synced appends in a scratch journal."
    )

    @OptionGroup var data: DataDirectoryOptions

    @Option(help: "Concurrent appenders in the scratch journal.")
    var appenders = 64

    @Option(help: "Records each appender writes.")
    var recordsPerAppender = 200

    func validate() throws {
        guard self.appenders > 0, self.recordsPerAppender > 0 else {
            throw ValidationError("--appenders and --records-per-appender must be at least 1")
        }
    }

    func run() async throws {
        let logger = Logger(label: "hooklog.selfcheck")
        let dataPath = try await self.data.existingPath()
        // Read-only, like verify: safe beside a running server.
        let environment = try LMDBEnvironment(.init(path: dataPath, readOnly: true), databaseNames: Journal.databaseNames)
        let verification = try ChainVerifier(reader: LogReader(environment: environment)).verify()
        if let failure = verification.firstBreak {
            print("journal at \(dataPath): chain broken at \(failure)")
            throw ExitCode(1)
        }
        let head = verification.intactHead
        print("journal at \(dataPath): \(head.sequence) records, chain intact, head \(head.chainHash)")

        let scratch = try ScratchFolder(in: dataPath, prefix: "selfcheck-")
        defer { withExtendedLifetime(scratch) {} }
        let journal = Journal(
            environment: try LMDBEnvironment(.init(path: scratch.path), databaseNames: Journal.databaseNames),
            logger: logger
        )
        let record = [UInt8](repeating: UInt8(ascii: "x"), count: 300)
        let startedAt = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<self.appenders {
                group.addTask {
                    for _ in 0..<self.recordsPerAppender { _ = try await journal.append(record) }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = startedAt.duration(to: .now)
        await journal.close()
        let total = self.appenders * self.recordsPerAppender
        let scratchCheck = try ChainVerifier(reader: journal.reader).verify()
        guard scratchCheck.isIntact, scratchCheck.intactCount == UInt64(total) else {
            print("self-check failed: scratch journal holds \(scratchCheck.intactCount) intact records of \(total)")
            throw ExitCode(1)
        }
        print("group commit: \(total) synced records from \(self.appenders) appenders at \(Int(Double(total) / elapsed.inSeconds)) records/s")
        print("hooklog self-check passed")
    }
}
