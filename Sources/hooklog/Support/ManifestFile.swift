import Foundation
import HooklogJournal

/// The chain head in the manifest that ends an export file (`hooklog export`, `GET /v1/export`),
/// in either format: a JSON Lines export ends with the manifest object, a CSV export with a row
/// whose `record` column holds it.
enum ManifestFile {
    /// How far from its end a file's last line is looked for: a manifest line is a few hundred bytes.
    private static let tailByteCount: UInt64 = 64 * 1024

    /// The head the manifest ending the file at `path` names.
    static func keptHead(at path: String) throws -> KeptHead {
        guard let line = try Self.lastLine(at: path) else { throw CommandFailure("\(path) is empty: it is no export") }
        let manifestJSON = line.hasPrefix("{") ? line : try Self.csvRecordColumn(of: line, in: path)
        guard let manifest = try? JSONDecoder().decode(ManifestLine.self, from: Data(manifestJSON.utf8)), manifest.kind == "manifest" else {
            throw CommandFailure("\(path) does not end with an export's manifest line (an export stops without one at a damaged entry)")
        }
        guard let head = KeptHeadArgument(argument: "\(manifest.headSequence):\(manifest.chainHead)")?.head else {
            throw CommandFailure("the manifest ending \(path) names no chain head: chain_head is \(manifest.chainHead)")
        }
        return head
    }

    /// The members of a manifest line that name its head.
    private struct ManifestLine: Decodable {
        let kind: String
        let headSequence: UInt64
        let chainHead: String

        enum CodingKeys: String, CodingKey {
            case kind
            case headSequence = "head_sequence"
            case chainHead = "chain_head"
        }
    }

    /// The file's last line that is not empty.
    private static func lastLine(at path: String) throws -> String? {
        guard let file = FileHandle(forReadingAtPath: path) else { throw CommandFailure("cannot read \(path)") }
        defer { try? file.close() }
        let size = try file.seekToEnd()
        try file.seek(toOffset: size > Self.tailByteCount ? size - Self.tailByteCount : 0)
        let tail = String(decoding: try file.readToEnd() ?? Data(), as: UTF8.self)
        return tail.split(whereSeparator: \.isNewline).last.map(String.init)
    }

    /// The fifth column (`record`) of a CSV export's manifest row: `,,manifest,,"{…}",,hash`.
    private static func csvRecordColumn(of line: String, in path: String) throws -> String {
        let columns = Self.csvColumns(line)
        guard columns.count == 7, columns[2] == "manifest" else {
            throw CommandFailure("\(path) does not end with an export's manifest line (an export stops without one at a damaged entry)")
        }
        return columns[4]
    }

    /// One CSV row's columns (RFC 4180: a quoted column doubles its quotes).
    private static func csvColumns(_ line: String) -> [String] {
        var columns: [String] = []
        var column = ""
        var isQuoted = false
        var characters = line.makeIterator()
        while let character = characters.next() {
            switch (character, isQuoted) {
            case ("\"", false) where column.isEmpty:
                isQuoted = true
            case ("\"", true):
                // A doubled quote is one quote; a single one closes the column.
                var lookahead = characters
                if lookahead.next() == "\"" {
                    column.append("\"")
                    characters = lookahead
                } else {
                    isQuoted = false
                }
            case (",", false):
                columns.append(column)
                column = ""
            default:
                column.append(character)
            }
        }
        columns.append(column)
        return columns
    }
}
