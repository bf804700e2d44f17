import Foundation
import HooklogJournal
import HooklogTestSupport
import Testing

/// The data directory holds every event's body and every endpoint's signing secret.
@Suite("Data directory permissions")
struct DataDirectoryPermissionsTests {
    private static let warning = "other users of this machine can reach the data directory"

    /// A server creates its data directory and files for its own user alone; one made earlier
    /// (or by hand) that others can read is left as it is, and the server says so at start.
    @Test func aNewDataDirectoryIsTheOwnersAloneAndAnOpenOneIsReported() async throws {
        let parent = NSTemporaryDirectory() + "hooklog-permissions-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let folder = parent + "/data"
        let messages = RecordingLogHandler.Messages()
        let first = try await APIHarness.start(folder: folder, logger: RecordingLogHandler.logger(into: messages))
        #expect(try Self.mode(of: folder) == 0o700)
        for name in ["data.mdb", "lock.mdb", DataDirectoryLock.fileName] {
            #expect(try Self.mode(of: folder + "/" + name) == 0o600, "\(name)")
        }
        #expect(try Self.mode(of: parent) & 0o022 == 0, "a parent made on the way is not writable by others")
        await first.stop(removingData: false)
        #expect(messages.count(containing: Self.warning) == 0)

        // As an older Hooklog (or an operator) left it.
        try Self.setMode(0o755, of: folder)
        try Self.setMode(0o644, of: folder + "/data.mdb")
        #expect(PrivateFiles.exposed(in: folder).map(\.path) == [folder, folder + "/data.mdb"])
        let second = try await APIHarness.start(folder: folder, logger: RecordingLogHandler.logger(into: messages))
        await second.stop(removingData: false)
        #expect(messages.count(containing: Self.warning) == 1)
        #expect(try Self.mode(of: folder) == 0o755, "an existing folder keeps its mode")
        #expect(try Self.mode(of: folder + "/data.mdb") == 0o644)

        // A private folder hides its files whatever their modes.
        try Self.setMode(0o700, of: folder)
        #expect(PrivateFiles.exposed(in: folder).isEmpty)
        let third = try await APIHarness.start(folder: folder, logger: RecordingLogHandler.logger(into: messages))
        await third.stop(removingData: false)
        #expect(messages.count(containing: Self.warning) == 1, "no second warning")
    }

    private static func mode(of path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    private static func setMode(_ mode: Int, of path: String) throws {
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }
}
