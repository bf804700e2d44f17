import Foundation
import HooklogCore
import HooklogJournal

/// An export file (`hooklog export`, `GET /v1/export`) as `verify --export` reads it: the
/// manifest on its last line, and where its lines before the manifest end.
struct ExportFile {
    /// How much is read at a time looking back for the last line; a manifest line is a few
    /// hundred bytes, so a last line longer than this is none.
    private static let tailByteCount: UInt64 = 64 * 1024

    let path: String
    let manifest: ExportManifestLine
    /// The manifest line as the file has it, without its line break (nor a carriage return).
    let manifestLine: [UInt8]
    /// The head its manifest names.
    let head: KeptHead
    /// How many bytes come before the manifest line: the CSV header and the record lines.
    let linesByteCount: UInt64

    /// Reads the manifest ending the file at `path`.
    init(path: String) throws {
        self.path = path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw CommandFailure("there is no file \(path)") }
        guard !isFolder.boolValue else { throw CommandFailure("\(path) is a folder, not an export file") }
        guard let file = FileHandle(forReadingAtPath: path) else { throw CommandFailure("cannot read \(path)") }
        defer { try? file.close() }
        // The lines are read again after the manifest: a pipe cannot be.
        guard let size = try? file.seekToEnd(), (try? file.seek(toOffset: 0)) != nil else {
            throw CommandFailure("\(path) cannot be read twice (a pipe?): save the export to a file and name that")
        }
        guard let (lineStart, line) = try Self.lastLine(of: file, size: size) else { throw CommandFailure("\(path) holds nothing but blanks: it is no export") }
        guard ExportManifestLine.isManifest(line), let manifest = ExportManifestLine(line: line) else {
            throw CommandFailure(
                "\(path) does not end with an export's manifest line: it is cut short (a download cut off, or an export stopped at a damaged entry), lines were added after its manifest, or it is no export"
            )
        }
        guard let head = KeptHead(sequence: manifest.headSequence, hex: manifest.chainHead) else {
            throw CommandFailure("the manifest ending \(path) names no chain head: chain_head is \(manifest.chainHead)")
        }
        self.manifest = manifest
        self.manifestLine = line
        self.head = head
        self.linesByteCount = lineStart
    }

    /// The export's format and filter, from its manifest; `nil` when a member is not as an export
    /// writes it (a time that is not RFC 3339, a tenant id that is none, an unknown format).
    func exportFilter() -> (ExportFormat, ExportFilter)? {
        guard let format = ExportFormat(rawValue: self.manifest.format) else { return nil }
        let sinceMs = self.manifest.since.map(TimeFormat.instantMs(rfc3339:))
        let untilMs = self.manifest.until.map(TimeFormat.instantMs(rfc3339:))
        let tenantId = self.manifest.tenantId.map(TenantID.parse)
        guard sinceMs != .some(nil), untilMs != .some(nil), tenantId != .some(nil) else { return nil }
        return (format, ExportFilter(sinceMs: sinceMs ?? nil, untilMs: untilMs ?? nil, tenantId: tenantId ?? nil))
    }

    /// Where the last line holding more than blanks starts, and the line without its line
    /// break; looked for back from the end, blanks skipped however many.
    private static func lastLine(of file: FileHandle, size: UInt64) throws -> (start: UInt64, line: [UInt8])? {
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n") }
        var end = size
        // Back over trailing blanks, a chunk at a time.
        while end > 0 {
            let start = end > Self.tailByteCount ? end - Self.tailByteCount : 0
            try file.seek(toOffset: start)
            let chunk = [UInt8](try file.read(upToCount: Int(end - start)) ?? Data())
            if let last = chunk.lastIndex(where: { !isBlank($0) }) {
                end = start + UInt64(last) + 1
                break
            }
            end = start
        }
        guard end > 0 else { return nil }
        let start = end > Self.tailByteCount ? end - Self.tailByteCount : 0
        try file.seek(toOffset: start)
        let tail = [UInt8](try file.read(upToCount: Int(end - start)) ?? Data())
        let lineStart = tail.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        return (start + UInt64(lineStart), Array(tail[lineStart...]))
    }
}
