import ArgumentParser
import Configuration
import Foundation
import HooklogAPI
import HooklogJournal

/// Where the LMDB environment lives: `--data-dir`, else where `hooklog serve` keeps it
/// (`HOOKLOG_DATA_DIR`, else `hooklog.dataDir` of the configuration file, else `./data`).
struct DataDirectoryOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "The LMDB environment's folder (default: as `hooklog serve` has it: $HOOKLOG_DATA_DIR, the configuration's dataDir, or ./data).")
    var dataDirectory: String?

    @OptionGroup var configurationFile: ConfigurationFileOptions

    /// The folder to use. A file named by `--config` is read (and refused when missing or
    /// wrong) whatever names the folder: a tool given one must not run as if it were right.
    func path() async throws -> String {
        let named = self.configurationFile.path == nil ? nil : try await self.configurationFile.reader()
        let path: String
        if let dataDirectory = self.dataDirectory {
            path = dataDirectory
        } else if let fromEnvironment = ProcessInfo.processInfo.environment["HOOKLOG_DATA_DIR"] {
            // Before the file is read: a tool must work when the variable says where, whatever the file.
            path = fromEnvironment
        } else {
            let reader = if let named { named } else { try await self.configurationFile.reader() }
            path = reader.string(forKey: "dataDir", default: HooklogConfiguration.defaultDataDirectory)
        }
        // Refused, as `serve` refuses it: an empty name is no folder, and the lock would land in `/`.
        guard !path.isEmpty else {
            throw CommandFailure("the data directory is named empty (by --data-dir, HOOKLOG_DATA_DIR or the configuration's dataDir): name a folder")
        }
        return path
    }

    /// The folder, which must already hold an environment (operators' tools never create one).
    func existingPath() async throws -> String {
        let path = try await self.path()
        var status = stat()
        guard stat(path + "/data.mdb", &status) == 0 else {
            let code = errno
            guard code == ENOENT || code == ENOTDIR else {
                // Not "no data": a folder only its owner may enter (as Hooklog makes it) says EACCES.
                throw CommandFailure("cannot reach \(path)/data.mdb: \(String(cString: strerror(code))) (run this as the user that runs Hooklog)")
            }
            throw CommandFailure("no Hooklog data at \(path): expected \(path)/data.mdb")
        }
        return path
    }
}

extension DataDirectoryOptions {
    /// Fails, saying what to run, unless `environment`'s projections can be read as they stand in
    /// `transaction`'s snapshot (a rebuild under way or cut short, or another build's layout,
    /// leaves them wrong until rebuilt).
    static func requireUsableProjections(in transaction: ReadTransaction, of environment: LMDBEnvironment) throws {
        if let reason = try ProjectionRebuilder.reasonToRebuild(in: transaction, of: environment) {
            throw Self.unusableProjections(of: environment.path, reason: reason)
        }
    }

    /// Why a tool that needs the projections of `path` cannot run, and what to run first.
    static func unusableProjections(of path: String, reason: String) -> CommandFailure {
        CommandFailure("the projections of \(path) cannot be used: \(reason); run `hooklog rebuild` (or start `hooklog serve`) first")
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
