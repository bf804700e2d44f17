import Foundation
import HooklogCore

/// What an export gives back of the bodies that were posted: parsed and compared off the
/// concurrency pool, then judged by the test.
struct RoundTrip: Sendable {
    /// The manifest's chain head.
    var manifestHead: String?
    /// Whether the manifest's count and sequences agree with the lines.
    var manifestIsConsistent = false
    /// How many events came back byte for byte.
    var roundTripped = 0
    /// Events whose body came back different (or not at all).
    var mismatched: [String] = []

    /// Reads a `jsonl` export.
    init(jsonLines output: [UInt8], bodies: [String: [UInt8]]) throws {
        let lines = try ExportParsing.jsonLines(output)
        guard let manifest = lines.last, manifest["kind"] as? String == "manifest" else { return }
        self.manifestHead = manifest["chain_head"] as? String
        self.manifestIsConsistent = manifest["count"] as? Int == lines.count - 1 && manifest["first_sequence"] as? Int == 1
            && manifest["last_sequence"] as? Int == manifest["head_sequence"] as? Int
        for line in lines where line["kind"] as? String == "event_received" {
            let eventId = (line["record"] as? [String: Any])?["event_id"] as? String ?? "?"
            let body = (line["raw_body"] as? String).map { Array($0.utf8) } ?? (line["raw_body_base64"] as? String).flatMap(Base64.decode)
            self.note(eventId, body, bodies)
        }
    }

    /// Reads a `csv` export.
    init(csvRows output: [UInt8], bodies: [String: [UInt8]]) throws {
        let rows = try ExportParsing.csvRows(output)
        guard rows.first == ["sequence", "appended_at", "kind", "tenant_id", "record", "raw_body_base64", "chain_hash"],
            let manifest = rows.last, manifest[2] == "manifest",
            let fields = try JSONSerialization.jsonObject(with: Data(manifest[4].utf8)) as? [String: Any]
        else { return }
        self.manifestHead = manifest[6]
        self.manifestIsConsistent = fields["count"] as? Int == rows.count - 2 && fields["first_sequence"] as? Int == 1
        for row in rows.dropFirst() where row[2] == "event_received" {
            let record = try JSONSerialization.jsonObject(with: Data(row[4].utf8)) as? [String: Any]
            self.note(record?["event_id"] as? String ?? "?", Base64.decode(row[5]), bodies)
        }
    }

    private mutating func note(_ eventId: String, _ body: [UInt8]?, _ bodies: [String: [UInt8]]) {
        if let body, body == bodies[eventId] {
            self.roundTripped += 1
        } else {
            self.mismatched.append(eventId)
        }
    }
}
