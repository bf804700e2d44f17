import Foundation
import HooklogCore

/// Reads export output back, as an auditor's script would.
enum ExportParsing {
    /// The JSON objects of a `jsonl` export, one per line.
    static func jsonLines(_ output: [UInt8]) throws -> [[String: Any]] {
        try output.split(separator: UInt8(ascii: "\n")).map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
                throw FixtureError(description: "a line is not a JSON object")
            }
            return object
        }
    }

    /// The rows of a CSV export (header included): RFC 4180 fields, quotes doubled inside quoted ones.
    static func csvRows(_ output: [UInt8]) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var index = 0
        while index < output.count {
            let byte = output[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < output.count && output[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.append(byte)
                }
            } else if byte == UInt8(ascii: "\"") {
                inQuotes = true
            } else if byte == UInt8(ascii: ",") {
                row.append(String(decoding: field, as: UTF8.self))
                field = []
            } else if byte == UInt8(ascii: "\n") {
                row.append(String(decoding: field, as: UTF8.self))
                rows.append(row)
                row = []
                field = []
            } else {
                field.append(byte)
            }
            index += 1
        }
        guard !inQuotes, field.isEmpty, row.isEmpty else { throw FixtureError(description: "the CSV does not end with a whole row") }
        return rows
    }
}
