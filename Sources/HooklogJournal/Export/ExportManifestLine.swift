import Foundation

/// An export's manifest line read back (`LogExport` writes it): what `hooklog verify --export`
/// needs to export the same window again and to hold the file's head.
public struct ExportManifestLine: Decodable, Sendable, Equatable {
    /// `jsonl` or `csv`.
    public let format: String
    public let count: UInt64
    public let firstSequence: UInt64?
    public let lastSequence: UInt64?
    public let headSequence: UInt64
    /// The head's chain hash, in hex.
    public let chainHead: String
    /// The window's ends, RFC 3339, as asked for.
    public let since: String?
    public let until: String?
    public let tenantId: String?
    public let windowIsClosed: Bool
    /// Whether the projections told whose each record is; absent (so `true`) before it was written.
    public let ownersAreKnown: Bool

    enum CodingKeys: String, CodingKey {
        case kind, format, count, since, until
        case firstSequence = "first_sequence"
        case lastSequence = "last_sequence"
        case headSequence = "head_sequence"
        case chainHead = "chain_head"
        case tenantId = "tenant_id"
        case windowIsClosed = "window_closed"
        case ownersAreKnown = "owners_known"
    }

    /// The manifest in `line`, a JSON Lines export's last line or a CSV export's (the manifest
    /// object is its quoted `record` column); `nil` when the line is no manifest.
    public init?(line: some Collection<UInt8>) {
        let line = Array(line)
        guard let json = line.first == UInt8(ascii: "{") ? line : Self.csvRecordColumn(of: line),
            let manifest = try? JSONDecoder().decode(Self.self, from: Data(json))
        else { return nil }
        self = manifest
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard try container.decode(String.self, forKey: .kind) == "manifest" else {
            throw DecodingError.dataCorruptedError(forKey: .kind, in: container, debugDescription: "not a manifest")
        }
        self.format = try container.decode(String.self, forKey: .format)
        self.count = try container.decode(UInt64.self, forKey: .count)
        self.firstSequence = try container.decodeIfPresent(UInt64.self, forKey: .firstSequence)
        self.lastSequence = try container.decodeIfPresent(UInt64.self, forKey: .lastSequence)
        self.headSequence = try container.decode(UInt64.self, forKey: .headSequence)
        self.chainHead = try container.decode(String.self, forKey: .chainHead)
        self.since = try container.decodeIfPresent(String.self, forKey: .since)
        self.until = try container.decodeIfPresent(String.self, forKey: .until)
        self.tenantId = try container.decodeIfPresent(String.self, forKey: .tenantId)
        self.windowIsClosed = try container.decode(Bool.self, forKey: .windowIsClosed)
        self.ownersAreKnown = try container.decodeIfPresent(Bool.self, forKey: .ownersAreKnown) ?? true
    }

    /// Whether `line` starts as a manifest line does, in either format.
    public static func isManifest(_ line: some Collection<UInt8>) -> Bool {
        line.starts(with: #"{"kind":"manifest","#.utf8) || line.starts(with: ",,manifest,".utf8)
    }

    /// The fifth column (`record`) of a CSV export's manifest row, `,,manifest,tenant,"{…}",,hash`:
    /// a quoted column, whose quotes are doubled (RFC 4180).
    private static func csvRecordColumn(of line: [UInt8]) -> [UInt8]? {
        let quote = UInt8(ascii: "\"")
        guard line.starts(with: ",,manifest,".utf8), let opening = line.firstIndex(of: quote) else { return nil }
        var json: [UInt8] = []
        var index = opening + 1
        while index < line.count {
            if line[index] == quote {
                guard index + 1 < line.count, line[index + 1] == quote else { return json }
                index += 1
            }
            json.append(line[index])
            index += 1
        }
        return nil
    }
}
