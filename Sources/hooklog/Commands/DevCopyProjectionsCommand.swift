import ArgumentParser
import Foundation
import HooklogCore
import HooklogJournal

/// `hooklog dev-copy-projections` (hidden): the floor under any rebuild of a data directory —
/// its projections, already in key order, appended (`MDB_APPEND`) straight from one environment's
/// memory map into an empty one in one synced transaction, with nothing computed.
struct DevCopyProjectionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev-copy-projections",
        abstract: "Time writing a data directory's projections into an empty environment (development only).",
        shouldDisplay: false
    )

    @OptionGroup var data: DataDirectoryOptions

    @Option(help: "A folder that does not exist yet, to write the copy into; removed afterwards.")
    var scratch: String

    func run() async throws {
        let source = try LMDBEnvironment(.init(path: try await self.data.existingPath(), readOnly: true), databaseNames: HooklogStore.databaseNames)
        // Removed whole afterwards: only a folder this command made.
        guard !FileManager.default.fileExists(atPath: self.scratch) else {
            throw CommandFailure("--scratch \(self.scratch) exists; name a folder that does not, which is made and removed afterwards")
        }
        defer { try? FileManager.default.removeItem(atPath: self.scratch) }
        let sourceTables = ProjectionDatabases(environment: source)
        let recordCount = try LogReader(environment: source).head().sequence
        let mapSizeBytes = source.mapSizeBytes
        let target = try LMDBEnvironment(.init(path: self.scratch, initialMapSizeBytes: mapSizeBytes), databaseNames: ProjectionTable.databaseNames)
        let targetTables = ProjectionDatabases(environment: target)
        let startedAt = ContinuousClock.now
        var keyCount = 0
        var byteCount = 0
        try source.read { sourceTransaction in
            try target.write { targetTransaction in
                for table in ProjectionTable.allCases {
                    // Appended as a rebuild's flush appends: through one cursor kept at the end.
                    try targetTransaction.withCursor(over: targetTables[table]) { appending in
                        try sourceTransaction.withCursor(over: sourceTables[table]) { cursor in
                            var item = try cursor.first()
                            while let entry = item {
                                try appending.append(entry.value, forKey: entry.key)
                                keyCount += 1
                                byteCount += entry.key.count + entry.value.count
                                item = try cursor.next()
                            }
                        }
                    }
                }
            }
        }
        let seconds = startedAt.duration(to: .now).inSeconds
        print(
            "bare projection copy: \(keyCount) keys, \(byteCount) bytes in \(String(format: "%.3f", seconds)) s: "
                + "\(Int(Double(recordCount) / seconds)) records/s of the log's \(recordCount)"
        )
    }
}
