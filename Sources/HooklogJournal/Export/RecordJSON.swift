public import HooklogCore

/// A record's fields as the export writes them: one JSON object, secrets redacted (see `LogExport`).
public enum RecordJSON {
    /// The JSON object of `record`'s fields, as UTF-8 bytes.
    public static func fields(of record: Record) -> [UInt8] {
        var buffer = ExportBuffer(capacity: 256)
        buffer.append(fieldsOf: record)
        return buffer.bytes
    }
}
