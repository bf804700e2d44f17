import ArgumentParser
import Foundation
import HooklogJournal

/// `hooklog dev-scan` (hidden): the bare LMDB cursor scan of the log that the tools are measured
/// against — one read transaction, `MDB_NEXT` over every entry, every byte of every value read.
struct DevScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev-scan",
        abstract: "Walk the log with one bare LMDB cursor, reading every byte (development only).",
        shouldDisplay: false
    )

    @OptionGroup var data: DataDirectoryOptions

    func run() async throws {
        let environment = try LMDBEnvironment(.init(path: try await self.data.existingPath(), readOnly: true), databaseNames: Journal.databaseNames)
        let log = environment.database(LogReader.databaseName)
        let startedAt = ContinuousClock.now
        var recordCount: UInt64 = 0
        var byteCount = 0
        var checksum: UInt64 = 0
        try environment.read { transaction in
            try transaction.withCursor(over: log) { cursor in
                var item = try cursor.first()
                while let entry = item {
                    recordCount += 1
                    byteCount += entry.key.count + entry.value.count
                    checksum &+= Self.fold(entry.value)
                    item = try cursor.next()
                }
            }
        }
        let seconds = startedAt.duration(to: .now).inSeconds
        print(
            "bare scan: \(recordCount) records, \(byteCount) bytes in \(String(format: "%.3f", seconds)) s: "
                + "\(Int(Double(recordCount) / seconds)) records/s, \(String(format: "%.1f", Double(byteCount) / seconds / 1e6)) MB/s (checksum \(checksum))"
        )
    }

    /// Reads every byte: the sum of the value's 8-byte words and its tail.
    private static func fold(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var sum: UInt64 = 0
        var offset = 0
        while offset + 8 <= bytes.count {
            sum &+= bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            offset += 8
        }
        while offset < bytes.count {
            sum &+= UInt64(bytes[offset])
            offset += 1
        }
        return sum
    }
}
