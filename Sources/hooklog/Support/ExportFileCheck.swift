import Foundation
import HooklogJournal

/// An export file's lines held against the log: the file's window exported again, from the log
/// as it is now, must give the same bytes, line for line, up to the file's head.
///
/// The chain vouches for the records in the log, not for a file made from them: a line edited,
/// dropped or added in the file leaves its manifest as it was. Records appended to an open
/// window (without `until`, or `until` ahead of the log when it was exported) since the file was
/// made come after its head, and are no difference; a closed window's head must be the file's,
/// so that lines dropped from its end, with the manifest edited to match, show too. (The end of
/// an open window is vouched for only by a head kept outside the file.)
enum ExportFileCheck {
    /// What the comparison found.
    enum Finding: Equatable {
        /// Every line is the log's; `recordCount` record lines, as the manifest says.
        case asTheLogHasIt(recordCount: UInt64)
        /// Line `lineNumber` (1 for the first) is not the log's line for its sequence.
        case lineDiffers(lineNumber: UInt64, sequence: UInt64?)
        /// The log has a line for `sequence` in the window, before the file's head, that the file lacks.
        case lineMissing(sequence: UInt64?, beforeLineNumber: UInt64)
        /// Line `lineNumber` is a record line the window, exported again, does not have.
        case lineNotInLog(lineNumber: UInt64, sequence: UInt64?)
        /// The lines are the log's, but the manifest counts them otherwise.
        case manifestMiscounts(count: UInt64, first: UInt64?, last: UInt64?, lineCount: UInt64, firstLine: UInt64?, lastLine: UInt64?)
        /// The window is closed, and the log's last entry in it is not the file's head.
        case windowEndsElsewhere(logHead: ChainHead)
        /// The manifest line is not as an export writes it: a member edited to what no export
        /// writes, added, or repeated (which readers take, first or last, differs).
        case manifestNotAsWritten
        /// The head was appended at or after the window's `until`: no export names such a head.
        case headAfterTheWindow(appendedAtMs: UInt64)
        /// Line `lineNumber` holds a record after the manifest's head.
        case linePastHead(lineNumber: UInt64, sequence: UInt64)
        /// The lines cannot be compared here, for `reason`.
        case notComparable(reason: String)

        var isAsTheLogHasIt: Bool {
            if case .asTheLogHasIt = self { return true }
            return false
        }
    }

    /// Compares `file`'s lines with its window exported again from `environment`, whose
    /// projections (`nil` when they cannot be used) tell whose each record is.
    static func compare(_ file: ExportFile, environment: LMDBEnvironment, projections: ProjectionDatabases?) throws -> Finding {
        let manifest = file.manifest
        // Written again from what was read, the manifest must come out byte for byte: the one
        // spelling of its members, none added or repeated. (A tenant's export always knows owners.)
        guard let (format, filter) = file.exportFilter(), manifest.ownersAreKnown || filter.tenantId == nil else { return .manifestNotAsWritten }
        let written = LogExport.manifestLine(
            ExportManifest(
                count: manifest.count, firstSequence: manifest.firstSequence, lastSequence: manifest.lastSequence,
                head: ChainHead(sequence: file.head.sequence, chainHash: file.head.chainHash, appendedAtMs: 0), windowIsClosed: manifest.windowIsClosed
            ),
            format: format, filter: filter, ownersAreKnown: manifest.ownersAreKnown
        )
        // (`manifestLine` is without its line break, a carriage return included.)
        guard written.dropLast().elementsEqual(file.manifestLine) else { return .manifestNotAsWritten }
        // The head is the newest entry appended before `until`.
        if let untilMs = filter.untilMs, file.head.sequence > 0, let headEntry = try LogReader(environment: environment).entry(at: file.head.sequence),
            headEntry.appendedAtMs >= untilMs
        {
            return .headAfterTheWindow(appendedAtMs: headEntry.appendedAtMs)
        }
        // Lines name the owners the projections told at export time: told again the same way,
        // or not at all when the export could not.
        guard projections != nil || !manifest.ownersAreKnown else {
            return .notComparable(reason: "its lines name whose each record is, and this data directory's projections cannot tell")
        }
        var export = try LogExport(
            environment: environment, projections: manifest.ownersAreKnown ? projections : nil, filter: filter, format: format
        )
        if manifest.windowIsClosed, export.head.sequence != file.head.sequence || export.head.chainHash != file.head.chainHash {
            return .windowEndsElsewhere(logHead: export.head)
        }
        var exportLines = ExportLines { try export.nextChunk() }
        guard let handle = FileHandle(forReadingAtPath: file.path) else { throw CommandFailure("cannot read \(file.path)") }
        defer { try? handle.close() }
        var fileLines = ExportLines.reading(handle, byteCount: file.linesByteCount)

        var lineNumber: UInt64 = 0
        var recordCount: UInt64 = 0
        var firstRecord: UInt64?
        var lastRecord: UInt64?
        while true {
            // A carriage return before the line feed is the file's travel (a Windows copy): no
            // line of an export ends with one.
            let fileLine = try fileLines.next().map { $0.last == UInt8(ascii: "\r") ? Array($0.dropLast()) : $0 }
            let exportLine = try exportLines.next().flatMap { ExportManifestLine.isManifest($0) ? nil : $0 }
            lineNumber += 1
            guard let fileLine else {
                // The file ends: the log may only go on past its head.
                if let exportLine, let sequence = ExportLines.sequence(of: exportLine), sequence > file.head.sequence { break }
                if let exportLine { return .lineMissing(sequence: ExportLines.sequence(of: exportLine), beforeLineNumber: lineNumber) }
                break
            }
            let sequence = ExportLines.sequence(of: fileLine)
            if let sequence, sequence > file.head.sequence { return .linePastHead(lineNumber: lineNumber, sequence: sequence) }
            guard let exportLine else { return .lineNotInLog(lineNumber: lineNumber, sequence: sequence) }
            if fileLine != exportLine {
                let logSequence = ExportLines.sequence(of: exportLine)
                if let sequence, let logSequence, sequence > logSequence { return .lineMissing(sequence: logSequence, beforeLineNumber: lineNumber) }
                if let sequence, let logSequence, sequence < logSequence { return .lineNotInLog(lineNumber: lineNumber, sequence: sequence) }
                return .lineDiffers(lineNumber: lineNumber, sequence: sequence ?? logSequence)
            }
            guard let sequence else { continue }  // the CSV header
            recordCount += 1
            firstRecord = firstRecord ?? sequence
            lastRecord = sequence
        }
        guard manifest.count == recordCount, manifest.firstSequence == firstRecord, manifest.lastSequence == lastRecord else {
            return .manifestMiscounts(
                count: manifest.count, first: manifest.firstSequence, last: manifest.lastSequence,
                lineCount: recordCount, firstLine: firstRecord, lastLine: lastRecord
            )
        }
        return .asTheLogHasIt(recordCount: recordCount)
    }
}
