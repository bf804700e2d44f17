import Foundation
import HooklogJournal
import HooklogTestSupport
import Testing

/// The tools that work in a scratch folder beside the data (`selfcheck`, `rebuild --check`)
/// remove the folders that killed runs left behind, and only those.
@Suite("Scratch folders beside the data")
struct ScratchFolderTests {
    @Test func selfcheckRemovesTheScratchJournalOfAKilledRunAndLeavesOneInUse() async throws {
        try await ToolsFixture.withStore { fixture in
            _ = try await fixture.tenant()
            // As a killed run leaves it: a journal, and a lock file no one holds.
            let abandoned = fixture.path + "/selfcheck-killed"
            try PrivateFiles.createFolder(abandoned)
            try Data(repeating: 7, count: 4096).write(to: URL(fileURLWithPath: abandoned + "/data.mdb"))
            _ = try DataDirectoryLock.acquire(abandoned)
            // As a run going on beside this one holds it.
            let inUse = fixture.path + "/selfcheck-running"
            try PrivateFiles.createFolder(inUse)
            let held = try DataDirectoryLock.acquire(inUse)

            let run = try await fixture.hooklog("selfcheck", "--appenders", "2", "--records-per-appender", "5")
            #expect(run.status == 0 && run.output.contains("self-check passed"), "\(run.output)")
            let left = try FileManager.default.contentsOfDirectory(atPath: fixture.path).filter { $0.hasPrefix("selfcheck-") }
            #expect(left == ["selfcheck-running"], "the killed run's folder goes, the running one's stays, and this run's own is removed: \(left)")
            withExtendedLifetime(held) {}
        }
    }
}
