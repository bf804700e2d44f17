import ArgumentParser
import Foundation
import HooklogJournal

/// `hooklog rebuild [--check]`: rebuilds every projection of a stopped data directory from its log.
struct RebuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Rebuild every projection from the log (the data directory must not be in use).",
        discussion: """
            With --check, the live projections are left alone: the log is replayed into a scratch \
            environment beside them and compared byte for byte. It exits 0 when they are identical, \
            1 naming the first difference, and 2 when the check could not be made (the projections \
            are not meant to be read as they stand, the log is damaged, the directory is in use).
            """
    )

    @OptionGroup var data: DataDirectoryOptions

    @Flag(help: "Rebuild into a scratch environment and compare with the live projections instead.")
    var check = false

    func run() async throws {
        if self.check {
            try await CommandFailure.exitingTwoWhenUnable(to: "check the projections") { try await self.checkProjections() }
            return
        }
        let path = try await self.data.existingPath()
        // Held for the whole run, so that a server cannot start under the rebuild.
        let lock = try DataDirectoryOptions.lockForOfflineWork(path, doing: "rebuild")
        defer { withExtendedLifetime(lock) {} }
        let environment = try LMDBEnvironment(.init(path: path), databaseNames: HooklogStore.databaseNames)
        let progress = ProgressBar("rebuild", totalCount: try LogReader(environment: environment).head().sequence)
        let startedAt = ContinuousClock.now
        let applied: UInt64
        do {
            // Cleared whichever way it ends, so that an error is not printed onto the bar's line.
            defer { progress.finish() }
            applied = try ProjectionRebuilder(source: LogReader(environment: environment), target: environment)
                .rebuild { progress.update($0) }
        }
        let elapsed = startedAt.duration(to: .now)
        print("rebuilt every projection from \(applied) records in \(elapsed.formattedSeconds) (\(Self.rate(applied, elapsed)) records/s)")
    }

    /// Rebuilds into a scratch environment and compares; exits 1 when the projections differ.
    private func checkProjections() async throws {
        let path = try await self.data.existingPath()
        // Held for the whole run, so that a server cannot start and change what is compared.
        let lock = try DataDirectoryOptions.lockForOfflineWork(path, doing: "check the projections of")
        defer { withExtendedLifetime(lock) {} }
        // Read-only: the check changes nothing in the data directory but its scratch folder.
        let environment = try LMDBEnvironment(.init(path: path, readOnly: true), databaseNames: HooklogStore.databaseNames)
        let recordCount = try LogReader(environment: environment).head().sequence
        let progress = ProgressBar("rebuild --check", totalCount: recordCount)
        let startedAt = ContinuousClock.now
        // Beside the data (same disk, so the comparison measures it), removed afterwards.
        let scratch = try ScratchFolder(in: path, prefix: ".rebuild-check-")
        let difference: String?
        do {
            defer { progress.finish() }
            difference = try ProjectionCheck.firstDifference(in: environment, scratchPath: scratch.path) { progress.update($0) }
        }
        let elapsed = startedAt.duration(to: .now)
        if let difference {
            // The rebuild verified the chain first: the log is whole, and the projections are at fault.
            print("projections differ from a rebuild of the log, whose chain is intact: \(difference); `hooklog rebuild` writes them anew")
            throw ExitCode(1)
        }
        print("rebuilt \(recordCount) records into a scratch environment in \(elapsed.formattedSeconds) (\(Self.rate(recordCount, elapsed)) records/s): identical to the live projections")
    }

    private static func rate(_ count: UInt64, _ elapsed: Duration) -> Int {
        elapsed.inSeconds > 0 ? Int(Double(count) / elapsed.inSeconds) : 0
    }
}
