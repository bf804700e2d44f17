import ArgumentParser
import HooklogJournal

/// `hooklog verify`: walks the whole hash chain of a data directory.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every record's chain hash; exit non-zero naming the first bad sequence.",
        discussion: """
            It exits 0 when the whole chain is intact, 1 naming the first bad sequence, and 2 when the \
            chain could not be walked (no Hooklog data there, an LMDB error).
            """
    )

    @OptionGroup var data: DataDirectoryOptions

    func run() async throws {
        try await CommandFailure.exitingTwoWhenUnable(to: "verify") { try await self.verify() }
    }

    private func verify() async throws {
        let environment = try LMDBEnvironment(.init(path: try await self.data.existingPath(), readOnly: true), databaseNames: Journal.databaseNames)
        let reader = LogReader(environment: environment)
        let progress = ProgressBar("verify", totalCount: try reader.extent().lastSequenceToWalk)
        let startedAt = ContinuousClock.now
        let verification: ChainVerification
        do {
            verification = try ChainVerifier(reader: reader).verify(progressInterval: 16_384) { progress.update($0) }
        } catch {
            progress.finish()  // the bar cleared before the error is told
            throw error
        }
        let elapsed = startedAt.duration(to: .now)
        progress.finish()
        let rate = elapsed.inSeconds > 0 ? Int(Double(verification.intactCount) / elapsed.inSeconds) : 0
        if let failure = verification.firstBreak {
            print("chain broken at sequence \(failure.sequence): \(failure.reason)")
            print("\(verification.intactCount) records before it are intact; last intact hash \(verification.intactHead.chainHash)")
            throw ExitCode(1)
        }
        print("verified \(verification.intactCount) records in \(elapsed.formattedSeconds) (\(rate) records/s)")
        print("head: sequence \(verification.intactHead.sequence), hash \(verification.intactHead.chainHash)")
    }
}
