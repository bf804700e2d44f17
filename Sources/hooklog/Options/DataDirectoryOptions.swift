import ArgumentParser
import Foundation

/// Where the LMDB environment lives: `--data-dir`, else `HOOKLOG_DATA_DIR`, else `./data`.
struct DataDirectoryOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "The LMDB environment's folder (default: $HOOKLOG_DATA_DIR or ./data).")
    var dataDirectory: String?

    /// The folder to use.
    var path: String {
        self.dataDirectory ?? ProcessInfo.processInfo.environment["HOOKLOG_DATA_DIR"] ?? "./data"
    }

    /// The folder, which must already hold an environment (operators' tools never create one).
    func existingPath() throws -> String {
        guard FileManager.default.fileExists(atPath: self.path + "/data.mdb") else {
            throw CommandFailure("no Hooklog data at \(self.path): expected \(self.path)/data.mdb")
        }
        return self.path
    }
}
