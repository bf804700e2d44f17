import HooklogCore

/// A streaming export of the log: one line per record — sequence, append (receipt) time, kind,
/// the tenant the record belongs to, its fields, an event's raw request body verbatim, the stored
/// chain hash — then a manifest line (`ExportManifest`).
///
/// The tenant is the one the record names, else (attempts, outcomes, invocation results, old
/// endpoint records) its delivery's, invocation's or endpoint's, looked up in the projections;
/// without projections, only records that name their tenant have one.
///
/// Memory stays constant: `nextChunk` reads on from where the last chunk ended, each time in its
/// own short read transaction, and returns about `targetByteCount` bytes. The window is fixed
/// when the export is made (records appended later are not in it), so a long export of a live
/// log is a consistent prefix.
///
/// Secrets are never exported: endpoint signing secrets, rotated secrets, tenants' default
/// signing secrets, bearer tokens and API key hashes appear as `"[redacted]"`. The chain hashes
/// are the stored ones, so lines and manifest still match the verified chain; every entry of the
/// window is checked against the one before it as it is read, and one that fails ends the export
/// without its manifest.
public struct LogExport: Sendable {
    /// What the export holds.
    public let filter: ExportFilter
    /// How it is spelled.
    public let format: ExportFormat
    /// The sequences of the window by append time; empty when no record falls in it.
    public let window: ClosedRange<UInt64>?
    /// The newest entry of the window: the manifest's head.
    public let head: ChainHead
    /// Whether the log had reached the window's end when the export opened (`ExportManifest`).
    public let windowIsClosed: Bool
    /// The next sequence to read; past `window` once every record is written.
    public private(set) var nextSequence: UInt64
    /// The manifest, once the export is finished.
    public private(set) var manifest: ExportManifest?

    private let environment: LMDBEnvironment
    private let log: Database
    private let projections: ProjectionDatabases?
    private var buffer = ExportBuffer(capacity: 0)
    private var fieldsScratch = ExportBuffer(capacity: 4096)
    private var exportedCount: UInt64 = 0
    private var firstExported: UInt64?
    private var lastExported: UInt64?
    private var hasStarted = false
    /// The stored chain hash of the entry before `nextSequence`: each entry exported is checked
    /// against it, so that an entry whose bytes changed stops the export rather than going out
    /// behind a manifest whose head (the stored one) still looks right.
    private var previousChainHash: SHA256Digest

    /// The CSV header row.
    static let csvHeader: StaticString = "sequence,appended_at,kind,tenant_id,record,raw_body_base64,chain_hash\n"

    /// An export of `environment`'s log, telling whose each record is from `projections` (of the
    /// same environment), which a tenant filter needs. The window is found here, by binary search
    /// on append times.
    public init(environment: LMDBEnvironment, projections: ProjectionDatabases?, filter: ExportFilter = ExportFilter(), format: ExportFormat) throws {
        precondition(filter.tenantId == nil || projections != nil, "a tenant's export tells its records by the projections")
        self.environment = environment
        self.log = environment.database(LogReader.databaseName)
        self.filter = filter
        self.format = format
        self.projections = projections
        let log = self.log
        (self.window, self.head, self.windowIsClosed, self.previousChainHash) = try environment.read { transaction in
            let logHead = try Self.wholeLogHead(in: transaction, log: log)
            let windowIsClosed = filter.untilMs.map { logHead.appendedAtMs >= $0 } ?? false
            let first = try filter.sinceMs.map { try Self.firstSequence(appendedAtOrAfterMs: $0, before: logHead, in: transaction, log: log) } ?? 1
            let end = try filter.untilMs.map { try Self.firstSequence(appendedAtOrAfterMs: $0, before: logHead, in: transaction, log: log) }
                ?? logHead.sequence + 1
            let last = end - 1
            let head = last == logHead.sequence ? logHead : try Self.head(at: last, in: transaction, log: log)
            let before = first <= last ? try Self.head(at: first - 1, in: transaction, log: log) : .empty
            return (first <= last ? first...last : nil, head, windowIsClosed, before.chainHash)
        }
        self.nextSequence = self.window?.lowerBound ?? 1
    }

    /// How many sequences of the window are read so far (for progress).
    public var readCount: UInt64 {
        guard let window = self.window else { return 0 }
        return min(self.nextSequence, window.upperBound + 1) - window.lowerBound
    }

    /// The most records one `nextChunk` reads. A tenant's export of a log that is mostly other
    /// tenants' records reads many records per byte of output; bounded, each call stays short
    /// (the API's export runs on an event loop, and yields between chunks).
    public static let maxRecordsReadPerChunk = 4_096

    /// The next piece of output: whole lines, about `targetByteCount` bytes of them, or fewer (even
    /// none) once `maxRecordsReadPerChunk` records are read. The manifest line ends the last
    /// piece; `nil` once everything is out.
    public mutating func nextChunk(targetByteCount: Int = 256 << 10) throws -> [UInt8]? {
        guard self.manifest == nil else { return nil }
        if !self.hasStarted {
            self.hasStarted = true
            if self.format == .csv { self.buffer.append(Self.csvHeader) }
        }
        var readCount = 0
        while self.buffer.count < targetByteCount, readCount < Self.maxRecordsReadPerChunk,
            let window = self.window, self.nextSequence <= window.upperBound
        {
            readCount += try self.writeLines(
                through: window.upperBound, targetByteCount: targetByteCount, maxRecordCount: Self.maxRecordsReadPerChunk - readCount
            )
        }
        if let window = self.window, self.nextSequence <= window.upperBound {
            return self.buffer.take(reservingCapacity: targetByteCount + (64 << 10))
        }
        let manifest = ExportManifest(
            count: self.exportedCount,
            firstSequence: self.firstExported,
            lastSequence: self.lastExported,
            head: self.head,
            windowIsClosed: self.windowIsClosed
        )
        self.writeManifest(manifest)
        self.manifest = manifest
        return self.buffer.take(reservingCapacity: 0)
    }

    /// Writes lines from `nextSequence` in one read transaction, reading at most `maxRecordCount`
    /// records; returns how many it read.
    private mutating func writeLines(through last: UInt64, targetByteCount: Int, maxRecordCount: Int) throws -> Int {
        let log = self.log
        let projections = self.projections
        let start = self.nextSequence
        let environment = self.environment
        return try environment.read { transaction in
            // Checked in the snapshot the owners are read from, so none is read mid-rebuild.
            if projections != nil, let reason = try ProjectionRebuilder.reasonToRebuild(in: transaction, of: environment) {
                throw ExportInterrupted(reason: reason, sequence: start)
            }
            let hasher = SHA256Hasher()
            return try transaction.withCursor(over: log) { cursor in
                var item = try cursor.seek(atLeast: LogEntryLayout.key(start))
                var visited = 0
                while let entry = item {
                    let view = try LogEntryView(sequence: try LogReader.sequence(of: entry), storedBytes: entry.value)
                    // Keys are trusted no more than the last one (`wholeLogHead`): one damaged
                    // mid-log would end the export early, or export an entry twice or under
                    // another sequence, behind a manifest that looks whole.
                    guard view.sequence == self.nextSequence else { throw LogFormatError.missing(self.nextSequence, nextFound: view.sequence) }
                    guard view.sequence <= last else {
                        self.nextSequence = last + 1
                        return visited
                    }
                    try view.requireLinked(after: self.previousChainHash, using: hasher)
                    self.previousChainHash = view.chainHash
                    let record = try Record(decoding: view.payload)
                    let owner = try projections.map {
                        try RecordOwnership.owner(of: record, encoded: view.payload, in: TransactionProjections(transaction: transaction, databases: $0))
                    } ?? RecordOwnership.carriedTenant(of: record)
                    if self.filter.tenantId == nil || owner == self.filter.tenantId {
                        self.writeLine(view, record, owner: owner)
                    }
                    self.nextSequence = view.sequence + 1
                    visited += 1
                    if visited >= maxRecordCount || self.buffer.count >= targetByteCount { return visited }
                    item = try cursor.next()
                }
                self.nextSequence = last + 1
                return visited
            }
        }
    }

    private mutating func writeLine(_ view: LogEntryView, _ record: Record, owner: TenantID?) {
        self.exportedCount += 1
        if self.firstExported == nil { self.firstExported = view.sequence }
        self.lastExported = view.sequence
        switch self.format {
        case .jsonl: self.writeJSONLine(view, record, owner: owner)
        case .csv: self.writeCSVLine(view, record, owner: owner)
        }
    }

    private mutating func writeJSONLine(_ view: LogEntryView, _ record: Record, owner: TenantID?) {
        self.buffer.append("{\"sequence\":")
        self.buffer.append(decimal: view.sequence)
        self.buffer.append(",\"appended_at\":\"")
        self.buffer.append(timestampMs: view.appendedAtMs)
        self.buffer.append("\",\"kind\":\"")
        self.buffer.append(raw: Self.kindNames[Int(record.kind.rawValue)])
        self.buffer.append("\",\"tenant_id\":")
        self.buffer.append(jsonID: owner)
        self.buffer.append(",\"record\":")
        self.buffer.append(fieldsOf: record, isReadByTenant: self.filter.tenantId != nil)
        if case .eventReceived(let event) = record {
            event.rawBody.withUnsafeBytes { body in
                if UTF8Validation.isValid(body) {
                    self.buffer.append(",\"raw_body\":")
                    self.buffer.append(jsonString: body)
                } else {
                    self.buffer.append(",\"raw_body_base64\":\"")
                    self.buffer.append(base64: body)
                    self.buffer.append(byte: UInt8(ascii: "\""))
                }
            }
        }
        self.buffer.append(",\"chain_hash\":\"")
        self.buffer.append(hex: view.chainHash)
        self.buffer.append("\"}\n")
    }

    private mutating func writeCSVLine(_ view: LogEntryView, _ record: Record, owner: TenantID?) {
        self.buffer.append(decimal: view.sequence)
        self.buffer.append(byte: UInt8(ascii: ","))
        self.buffer.append(timestampMs: view.appendedAtMs)
        self.buffer.append(byte: UInt8(ascii: ","))
        self.buffer.append(raw: Self.kindNames[Int(record.kind.rawValue)])
        self.buffer.append(byte: UInt8(ascii: ","))
        if let owner { self.buffer.append(id: owner) }
        self.buffer.append(byte: UInt8(ascii: ","))
        _ = self.fieldsScratch.take(reservingCapacity: 4096)
        self.fieldsScratch.append(fieldsOf: record, isReadByTenant: self.filter.tenantId != nil)
        self.fieldsScratch.bytes.withUnsafeBytes { self.buffer.append(csvQuoted: $0) }
        self.buffer.append(byte: UInt8(ascii: ","))
        if case .eventReceived(let event) = record { self.buffer.append(base64: event.rawBody) }
        self.buffer.append(byte: UInt8(ascii: ","))
        self.buffer.append(hex: view.chainHash)
        self.buffer.append(byte: UInt8(ascii: "\n"))
    }

    private mutating func writeManifest(_ manifest: ExportManifest) {
        let line = Self.manifestLine(manifest, format: self.format, filter: self.filter, ownersAreKnown: self.projections != nil)
        self.buffer.append(raw: line)
    }

    /// The manifest line an export writes last (with its line feed): the one spelling of it, so
    /// that a manifest read back and written again gives the same bytes only if nothing in it was
    /// edited, added or repeated (`hooklog verify --export`).
    public static func manifestLine(_ manifest: ExportManifest, format: ExportFormat, filter: ExportFilter, ownersAreKnown: Bool) -> [UInt8] {
        var json = ExportBuffer(capacity: 512)
        json.append("{\"kind\":\"manifest\",\"format\":\"")
        json.append(raw: Array(format.rawValue.utf8))
        json.append("\",\"count\":")
        json.append(decimal: manifest.count)
        json.append(",\"first_sequence\":")
        json.append(jsonInteger: manifest.firstSequence)
        json.append(",\"last_sequence\":")
        json.append(jsonInteger: manifest.lastSequence)
        json.append(",\"head_sequence\":")
        json.append(decimal: manifest.head.sequence)
        json.append(",\"chain_head\":\"")
        json.append(hex: manifest.head.chainHash)
        json.append("\",\"since\":")
        json.append(jsonTimestampMs: filter.sinceMs)
        json.append(",\"until\":")
        json.append(jsonTimestampMs: filter.untilMs)
        json.append(",\"tenant_id\":")
        json.append(jsonID: filter.tenantId)
        json.append(manifest.windowIsClosed ? ",\"window_closed\":true" : ",\"window_closed\":false")
        json.append(ownersAreKnown ? ",\"owners_known\":true" : ",\"owners_known\":false")
        json.append(byte: UInt8(ascii: "}"))
        var line = ExportBuffer(capacity: 640)
        switch format {
        case .jsonl:
            line.append(raw: json.bytes)
        case .csv:
            line.append(",,manifest,")
            if let tenantId = filter.tenantId { line.append(id: tenantId) }
            line.append(byte: UInt8(ascii: ","))
            json.bytes.withUnsafeBytes { line.append(csvQuoted: $0) }
            line.append(",,")
            line.append(hex: manifest.head.chainHash)
        }
        line.append(byte: UInt8(ascii: "\n"))
        return line.take(reservingCapacity: 0)
    }

    /// Each kind's name as bytes, by tag.
    private static let kindNames: [[UInt8]] = {
        var names = [[UInt8]](repeating: [], count: 256)
        for kind in RecordKind.allCases { names[Int(kind.rawValue)] = Array(kind.name.utf8) }
        return names
    }()

    /// The log's head, once its last key is found to name as many entries as the log holds
    /// (1 to n, none ever removed). A last key damaged to a smaller number would end the export
    /// early behind a manifest that looks whole; to a huge one, overflow its arithmetic.
    private static func wholeLogHead(in transaction: ReadTransaction, log: Database) throws -> ChainHead {
        let extent = try LogReader.extent(in: transaction, log: log)
        guard extent.lastKeySequence ?? 0 == extent.entryCount else {
            throw LogFormatError(
                sequence: extent.entryCount,
                reason: "the log holds \(extent.entryCount) entries, and its last key names \(extent.lastKeySequence.map(String.init) ?? "none"): "
                    + LogFormatError.damagedLogHint
            )
        }
        return try LogReader.head(in: transaction, log: log)
    }

    /// The first sequence appended at or after `timeMs`; `head.sequence + 1` when there is none.
    /// Append times never decrease along the log, so a binary search finds it.
    private static func firstSequence(appendedAtOrAfterMs timeMs: UInt64, before head: ChainHead, in transaction: ReadTransaction, log: Database) throws -> UInt64 {
        var low: UInt64 = 1
        var high = head.sequence + 1
        while low < high {
            let middle = low + (high - low) / 2
            if try Self.head(at: middle, in: transaction, log: log).appendedAtMs >= timeMs {
                high = middle
            } else {
                low = middle + 1
            }
        }
        return low
    }

    /// The entry at `sequence` as a head; `ChainHead.empty` for 0.
    private static func head(at sequence: UInt64, in transaction: ReadTransaction, log: Database) throws -> ChainHead {
        guard sequence > 0 else { return .empty }
        return try LogEntryLayout.key(sequence).withUnsafeBytes { key in
            try transaction.withValue(forKey: key, in: log) { stored in
                guard let stored else { throw LogFormatError(sequence: sequence, reason: "missing from the log") }
                let view = try LogEntryView(sequence: sequence, storedBytes: stored)
                return ChainHead(sequence: sequence, chainHash: view.chainHash, appendedAtMs: view.appendedAtMs)
            }
        }
    }
}
