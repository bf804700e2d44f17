import Foundation
import HooklogJournal

/// A folder a tool works in beside the data and removes when done (`rebuild --check`'s scratch
/// environment, `selfcheck`'s scratch journal). It is locked while in use (`DataDirectoryLock`),
/// so that the next run can tell a folder left by a run that was killed (free) from one a run
/// going on beside it is using (held), and remove only the former.
final class ScratchFolder {
    let path: String
    private let lock: DataDirectoryLock

    /// A new folder named `prefix` and a UUID in `parent`, made after removing the abandoned
    /// folders of the same prefix there.
    init(in parent: String, prefix: String) throws {
        try Self.removeAbandoned(in: parent, prefix: prefix)
        var attempt = 1
        while true {
            let path = parent + "/" + prefix + UUID().uuidString
            try PrivateFiles.createFolder(path)
            do {
                self.lock = try DataDirectoryLock.acquire(path)
                self.path = path
                return
            } catch {
                // Another run's clean-up took it for abandoned between the two steps: a new name.
                guard attempt < 3 else { throw CommandFailure("cannot lock the scratch folder \(path): \(error)") }
                attempt += 1
            }
        }
    }

    deinit {
        // Before the lock goes: until then no other run touches it.
        try? FileManager.default.removeItem(atPath: self.path)
    }

    /// Removes the folders of `prefix` in `parent` that no running tool holds.
    private static func removeAbandoned(in parent: String, prefix: String) throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: parent) where name.hasPrefix(prefix) {
            let path = parent + "/" + name
            guard let lock = try? DataDirectoryLock.acquire(path) else { continue }
            try withExtendedLifetime(lock) { try FileManager.default.removeItem(atPath: path) }
        }
    }
}
