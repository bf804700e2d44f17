import ArgumentParser
import HooklogCore
import HooklogJournal

/// `hooklog verify`: walks the whole hash chain of a data directory, and holds heads and export
/// files kept from earlier against it.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every record's chain hash; exit non-zero naming the first bad sequence.",
        discussion: """
            A walk shows damage, but not a log cut short or rewritten whole: a head kept from \
            earlier shows those, held only if the log still has its hash at its sequence. --export \
            holds an export file's manifest head so, and its lines too: its window exported again \
            must give the same lines up to its head (an export made by another build of Hooklog may \
            spell records otherwise, and a line of a record whose owner the projections no longer \
            tell differs). A file vouches for its lines up to its own head: dropped from the end of \
            a window its manifest calls open (window_closed false), lines are shown missing only by \
            a head kept outside the file. It exits 0 when the whole chain is intact and every head \
            and export is held, 1 naming the first bad sequence or what is not held, 2 when the chain \
            could not be walked (no Hooklog data there, an LMDB error), an export file could not be \
            read or its lines compared, and 64 for a malformed option.
            """
    )

    @OptionGroup var data: DataDirectoryOptions

    @Option(
        name: .customLong("head"),
        help: ArgumentHelp("A head kept from earlier, as verify prints it on its last line; repeatable.", valueName: "sequence:hash")
    )
    var keptHeads: [KeptHeadArgument] = []

    @Option(
        name: .customLong("export"),
        help: ArgumentHelp("An export file (JSON Lines or CSV) to hold against the log: its manifest's head and its lines; repeatable.", valueName: "file")
    )
    var exportPaths: [String] = []

    func run() async throws {
        try await CommandFailure.exitingTwoWhenUnable(to: "verify") { try await self.verify() }
    }

    private func verify() async throws {
        // Read before the walk: a file that is no export is told without walking a long log.
        let exports = try self.exportPaths.map(ExportFile.init(path:))
        let path = try await self.data.existingPath()
        // Whose each record is, for exports' lines: without projections, a chain is still walked.
        let (environment, projections) = exports.isEmpty
            ? (try LMDBEnvironment(.init(path: path, readOnly: true), databaseNames: Journal.databaseNames), nil)
            : try ExportSource.open(path, needsProjections: false)
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
        var everythingHeld = verification.isIntact
        var everythingChecked = true
        for keptHead in self.keptHeads.map(\.head) {
            let finding = try verification.finding(for: keptHead, in: reader)
            everythingHeld = everythingHeld && finding.isHeld
            print("head \(keptHead): \(Self.describe(finding, of: keptHead))")
        }
        for export in exports {
            let headFinding = try verification.finding(for: export.head, in: reader)
            everythingHeld = everythingHeld && headFinding.isHeld
            print("export \(export.path): head \(export.head): \(Self.describe(headFinding, of: export.head))")
            guard verification.isIntact else {
                print("export \(export.path): lines not compared: the chain is broken")
                continue
            }
            let linesFinding = try ExportFileCheck.compare(export, environment: environment, projections: projections)
            if case .notComparable = linesFinding {
                everythingChecked = false
            } else {
                everythingHeld = everythingHeld && linesFinding.isAsTheLogHasIt
            }
            print("export \(export.path): lines: \(Self.describe(linesFinding))")
        }
        if verification.isIntact {
            print("keep this head to check the log later: --head \(verification.intactHead.sequence):\(verification.intactHead.chainHash)")
        }
        if !everythingHeld { throw ExitCode(1) }
        // Nothing found wrong, but not everything asked could be checked.
        if !everythingChecked { throw ExitCode(2) }
    }

    private static func describe(_ finding: KeptHeadFinding, of keptHead: KeptHead) -> String {
        let sequence = keptHead.sequence
        switch finding {
        case .held where sequence == 0:
            return "held, and vouches for nothing: it is the head of an empty log (or of a window before its first record)"
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

    private static func describe(_ finding: ExportFileCheck.Finding) -> String {
        let named = { (sequence: UInt64?) in sequence.map { " (sequence \($0))" } ?? "" }
        switch finding {
        case .asTheLogHasIt(let recordCount):
            return "as the log has them: \(recordCount) record line\(recordCount == 1 ? "" : "s"), each the log's own"
        case .lineDiffers(let lineNumber, let sequence):
            return "NOT AS THE LOG HAS THEM: line \(lineNumber)\(named(sequence)) differs from the log's line for it"
        case .lineMissing(let sequence, let lineNumber):
            return "NOT AS THE LOG HAS THEM: the log has a line\(named(sequence)) that the file lacks, before its line \(lineNumber)"
        case .lineNotInLog(let lineNumber, let sequence):
            return "NOT AS THE LOG HAS THEM: line \(lineNumber)\(named(sequence)) is not in the log's export of the window"
        case .manifestMiscounts(let count, let first, let last, let lineCount, let firstLine, let lastLine):
            let range = { (first: UInt64?, last: UInt64?) in first.map { "\($0)…\(last ?? $0)" } ?? "none" }
            return "NOT AS THE LOG HAS THEM: the manifest counts \(count) records (sequences \(range(first, last))), the file holds \(lineCount) (\(range(firstLine, lastLine)))"
        case .windowEndsElsewhere(let logHead):
            return "NOT AS THE LOG HAS THEM: its window is closed, and the log's last entry in it is \(logHead.sequence) (hash \(logHead.chainHash)), not the manifest's head: lines were dropped from its end"
        case .manifestNotAsWritten:
            return "NOT AS THE LOG HAS THEM: its manifest line is not as an export writes it (a member edited, added or repeated)"
        case .headAfterTheWindow(let appendedAtMs):
            return "NOT AS THE LOG HAS THEM: its head was appended at \(TimeFormat.rfc3339(instantMs: Int64(clamping: appendedAtMs), millis: true) ?? "\(appendedAtMs) ms"), not before the window's until"
        case .linePastHead(let lineNumber, let sequence):
            return "NOT AS THE LOG HAS THEM: line \(lineNumber) (sequence \(sequence)) comes after the manifest's head"
        case .notComparable(let reason):
            return "not compared: \(reason)"
        }
    }
}
