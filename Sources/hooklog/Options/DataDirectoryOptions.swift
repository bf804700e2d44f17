import ArgumentParser
import Foundation
import HooklogJournal

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

extension DataDirectoryOptions {
    /// Fails, saying what to run, unless `environment`'s projections can be read as they stand
    /// (a rebuild cut short, or another build's layout, leaves them wrong until rebuilt).
    static func requireUsableProjections(_ environment: LMDBEnvironment) throws {
        if let reason = try ProjectionRebuilder.reasonToRebuild(environment) {
            throw CommandFailure("the projections of \(environment.path) cannot be used: \(reason); run `hooklog rebuild` (or start `hooklog serve`) first")
        }
    }

    /// Takes the data directory's lock for an offline tool; when a running server holds it, fails
    /// saying so (`doing` names what was refused, e.g. "rebuild").
    static func lockForOfflineWork(_ path: String, doing: String) throws -> DataDirectoryLock {
        do {
            return try DataDirectoryLock.acquire(path)
        } catch {
            guard error.isHeld else { throw error }
            throw CommandFailure("refusing to \(doing) \(path): \(error)")
        }
    }
}
