import Foundation
import HooklogJournal

/// An export file's lines held against the log: the file's window exported again, from the log
/// as it is now, must give the same bytes, line for line, up to the file's head.
///
/// The chain vouches for the records in the log, not for a file made from them: a line edited,
/// dropped or added in the file leaves its manifest as it was. Records appended to an open
/// window (without `until`, or `until` ahead of the log when it was exported) since the file was
/// made come after its head, and are no difference.
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

        var isAsTheLogHasIt: Bool {
            if case .asTheLogHasIt = self { return true }
            return false
        }
    }

    /// Compares `file`'s lines with its window exported again from `environment`.
    static func compare(_ file: ExportFile, environment: LMDBEnvironment, projections: ProjectionDatabases?) throws -> Finding {
        let (format, filter) = try file.exportFilter()
        if filter.tenantId != nil, projections == nil {
            throw CommandFailure("\(file.path) is one tenant's export, and the projections that tell whose each record is cannot be read")
        }
        var export = try LogExport(environment: environment, projections: projections, filter: filter, format: format)
        var exportLines = ExportLines { try export.nextChunk() }
        guard let handle = FileHandle(forReadingAtPath: file.path) else { throw CommandFailure("cannot read \(file.path)") }
        defer { try? handle.close() }
        var fileLines = ExportLines.reading(handle, byteCount: file.linesByteCount)
        let headSequence = file.manifest.headSequence

        var lineNumber: UInt64 = 0
        var recordCount: UInt64 = 0
        var firstRecord: UInt64?
        var lastRecord: UInt64?
        while true {
            // A carriage return before the line feed is the file's travel (a Windows copy): no
            // line of an export ends with one.
            let fileLine = try fileLines.next().map { $0.last == UInt8(ascii: "\r") ? Array($0.dropLast()) : $0 }
            let exportLine = try exportLines.next().flatMap { ExportLines.isManifest($0) ? nil : $0 }
            lineNumber += 1
            guard let fileLine else {
                // The file ends: the log may only go on past its head.
                if let exportLine, let sequence = ExportLines.sequence(of: exportLine), sequence > headSequence { break }
                if let exportLine { return .lineMissing(sequence: ExportLines.sequence(of: exportLine), beforeLineNumber: lineNumber) }
                break
            }
            let sequence = ExportLines.sequence(of: fileLine)
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
        let manifest = file.manifest
        guard manifest.count == recordCount, manifest.firstSequence == firstRecord, manifest.lastSequence == lastRecord else {
            return .manifestMiscounts(
                count: manifest.count, first: manifest.firstSequence, last: manifest.lastSequence,
                lineCount: recordCount, firstLine: firstRecord, lastLine: lastRecord
            )
        }
        return .asTheLogHasIt(recordCount: recordCount)
    }
}
