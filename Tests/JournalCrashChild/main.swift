// Appends records from many concurrent tasks until it is killed, printing one line per
// acknowledged record: "<sequence> <sha256 of the payload>". The crash test kills it with
// SIGKILL and checks every printed record against the log.
//
// Usage: JournalCrashChild <data-folder> <appenders>
import HooklogCore
import HooklogJournal
import Logging

#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments
guard arguments.count == 3, let appenders = Int(arguments[2]) else {
    fatalError("usage: JournalCrashChild <data-folder> <appenders>")
}
let environment = try LMDBEnvironment(.init(path: arguments[1], initialMapSizeBytes: 1 << 20), databaseNames: Journal.databaseNames)
var logger = Logger(label: "crash-child")
logger.logLevel = .warning
// A small headroom, so that the kill also lands while zeros are appended to the data file.
let journal = Journal(environment: environment, configuration: JournalConfiguration(preallocationBytes: 1 << 20), logger: logger)
let processID = getpid()

/// Writes one line with a single write(2), so lines from concurrent tasks never interleave.
func acknowledge(_ sequence: UInt64, _ payload: [UInt8]) {
    let line = Array("\(sequence) \(SHA256Hasher.digest(payload).hex)\n".utf8)
    line.withUnsafeBytes { _ = write(1, $0.baseAddress, $0.count) }
}

try await withThrowingTaskGroup(of: Void.self) { group in
    for appender in 0..<appenders {
        group.addTask {
            var index = 0
            while true {
                let size = 100 + (appender * 7919 + index * 104_729) % 6_000
                var payload = Array("pid \(processID) appender \(appender) record \(index) ".utf8)
                payload += [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: size)
                let sequence = try await journal.append(payload)
                acknowledge(sequence, payload)
                index += 1
            }
        }
    }
    try await group.waitForAll()
}
