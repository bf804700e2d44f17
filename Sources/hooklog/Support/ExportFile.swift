import Foundation
import HooklogCore
import HooklogJournal

/// An export file (`hooklog export`, `GET /v1/export`) as `verify --export` reads it: the
/// manifest on its last line, and where its lines before the manifest end.
struct ExportFile {
    /// How far from its end the manifest line is looked for: it is a few hundred bytes.
    private static let tailByteCount: UInt64 = 64 * 1024

    let path: String
    let manifest: ExportManifestLine
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
        let tailStart = size > Self.tailByteCount ? size - Self.tailByteCount : 0
        try file.seek(toOffset: tailStart)
        let tail = [UInt8](try file.readToEnd() ?? Data())
        guard let (lineStart, line) = Self.lastLine(of: tail) else { throw CommandFailure("\(path) is empty: it is no export") }
        guard ExportManifestLine.isManifest(line), let manifest = ExportManifestLine(line: line) else {
            throw CommandFailure(
                "\(path) does not end with an export's manifest line: it is cut short (a download cut off, or an export stopped at a damaged entry), or it is no export"
            )
        }
        guard let head = KeptHead(sequence: manifest.headSequence, hex: manifest.chainHead) else {
            throw CommandFailure("the manifest ending \(path) names no chain head: chain_head is \(manifest.chainHead)")
        }
        self.manifest = manifest
        self.head = head
        self.linesByteCount = tailStart + UInt64(lineStart)
    }

    /// The export's format and filter, from its manifest.
    func exportFilter() throws -> (ExportFormat, ExportFilter) {
        guard let format = ExportFormat(rawValue: self.manifest.format) else {
            throw CommandFailure("the manifest ending \(self.path) names format \(self.manifest.format), neither jsonl nor csv")
        }
        func instantMs(_ text: String?, _ name: String) throws -> UInt64? {
            guard let text else { return nil }
            guard let instantMs = TimeFormat.instantMs(rfc3339: text) else {
                throw CommandFailure("the manifest ending \(self.path) has \(name) \(text), not an RFC 3339 time")
            }
            return instantMs
        }
        let tenantId = try self.manifest.tenantId.map { text in
            guard let tenantId = TenantID.parse(text) else { throw CommandFailure("the manifest ending \(self.path) has tenant_id \(text), not a tenant id") }
            return tenantId
        }
        return (format, ExportFilter(sinceMs: try instantMs(self.manifest.since, "since"), untilMs: try instantMs(self.manifest.until, "until"), tenantId: tenantId))
    }

    /// Where the last line holding more than blanks starts in `bytes`, and the line without its
    /// line break.
    private static func lastLine(of bytes: [UInt8]) -> (start: Int, line: [UInt8])? {
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n") }
        guard let lastByte = bytes.lastIndex(where: { !isBlank($0) }) else { return nil }
        let start = bytes[..<lastByte].lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        return (start, Array(bytes[start...lastByte]))
    }
}
