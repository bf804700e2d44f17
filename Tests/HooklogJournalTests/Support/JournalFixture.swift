import HooklogJournal
import Logging

/// Opens a journal in `path`, with the given initial map size.
func openJournal(
    at path: String,
    initialMapSizeBytes: Int = 1 << 20,
    projector: (any LogProjector)? = nil,
    extraDatabases: [String] = [],
    configuration: JournalConfiguration = JournalConfiguration()
) throws -> Journal {
    let environment = try LMDBEnvironment(
        .init(path: path, initialMapSizeBytes: initialMapSizeBytes),
        databaseNames: Journal.databaseNames + extraDatabases
    )
    return Journal(environment: environment, projector: projector, configuration: configuration, logger: quietLogger)
}

/// A payload that says which appender wrote it and when, padded to `size` bytes.
func payload(appender: Int, index: Int, size: Int = 300) -> [UInt8] {
    var bytes = Array("appender \(appender) record \(index) ".utf8)
    while bytes.count < size { bytes.append(UInt8(ascii: "a") + UInt8(bytes.count % 26)) }
    return bytes
}

/// A logger that drops everything: tests never bootstrap the logging system.
let quietLogger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
