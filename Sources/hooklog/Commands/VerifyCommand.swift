import ArgumentParser
import HooklogJournal

/// `hooklog verify`: walks the whole hash chain of a data directory.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every record's chain hash; exit non-zero naming the first bad sequence.",
        discussion: """
            A walk shows damage but not a log cut short or rewritten whole: heads kept from earlier \
            (--head, --manifest) show those, each held only if the log still has its hash at its \
            sequence. It exits 0 when the whole chain is intact and every kept head is held, 1 naming \
            the first bad sequence or a head not held, and 2 when the chain could not be walked (no \
            Hooklog data there, an LMDB error) or a manifest could not be read.
            """
    )

    @OptionGroup var data: DataDirectoryOptions

    @Option(
        name: .customLong("head"),
        help: ArgumentHelp("A head kept from earlier (verify prints it as \"head: sequence N, hash H\"); repeatable.", valueName: "sequence:hash")
    )
    var keptHeads: [KeptHeadArgument] = []

    @Option(name: .customLong("manifest"), help: ArgumentHelp("An earlier export (JSON Lines or CSV) whose manifest's head to hold against the log; repeatable.", valueName: "export-file"))
    var manifestPaths: [String] = []

    func run() async throws {
        try await CommandFailure.exitingTwoWhenUnable(to: "verify") { try await self.verify() }
    }

    private func verify() async throws {
        // Read before the walk: a file that is no export is told without walking a long log.
        let keptHeads = try self.keptHeads.map { ("head \($0.head)", $0.head) }
            + self.manifestPaths.map { path in
                let head = try ManifestFile.keptHead(at: path)
                return ("manifest \(path) (head \(head))", head)
            }
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
        } else {
            print("verified \(verification.intactCount) records in \(elapsed.formattedSeconds) (\(rate) records/s)")
            print("head: sequence \(verification.intactHead.sequence), hash \(verification.intactHead.chainHash)")
        }
        var everyHeadHeld = true
        for (label, keptHead) in keptHeads {
            let finding = try verification.finding(for: keptHead, in: reader)
            everyHeadHeld = everyHeadHeld && finding.isHeld
            print("\(label): \(Self.describe(finding, of: keptHead))")
        }
        if !verification.isIntact || !everyHeadHeld { throw ExitCode(1) }
    }

    private static func describe(_ finding: KeptHeadFinding, of keptHead: KeptHead) -> String {
        let sequence = keptHead.sequence
        switch finding {
        case .held:
            return "held: the log up to sequence \(sequence) is the one it was taken from"
        case .beyondTheLog(let logEndsAt):
            return "NOT HELD: the log ends at sequence \(logEndsAt), before \(sequence): records after \(logEndsAt) were cut off (a file restored from an older copy), or this is another log"
        case .differs(let found):
            return "NOT HELD: the log has hash \(found) at sequence \(sequence): it was rewritten at or before \(sequence), or this is another log"
        case .afterTheBreak(let breakSequence):
            return "not judged: the chain breaks at sequence \(breakSequence), at or before \(sequence)"
        }
    }
}
