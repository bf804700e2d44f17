import Foundation
import HooklogJournal
import HooklogTestSupport
import Testing

/// A data file cut short with every root still inside it (freed pages low in the file took the
/// roots, while large entries ran on to its end) passes the checks at open. The first read past
/// its end gets SIGBUS, which the tools say in words, with exit status 2, not as a crash report.
@Suite("A data file cut short past the checks at open")
struct CutShortDataFileTests {
    @Test func aReadPastItsEndIsSaidInWords() async throws {
        try await ToolsFixture.withStore { fixture in
            let tenantId = try await fixture.tenant()
            let body = Array(#"{"p":"\#(String(repeating: "x", count: 900_000))"}"#.utf8)
            for _ in 0..<30 { _ = try await fixture.post(body, tenant: tenantId) }
            let pageBytes = 4_096
            let cutBytes = fixture.store.environment.usedBytes / 2 / pageBytes * pageBytes
            let copy = fixture.path + "-cut"
            try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: false)
            defer { try? FileManager.default.removeItem(atPath: copy) }
            let whole = try Data(contentsOf: URL(fileURLWithPath: fixture.path + "/data.mdb"))
            try whole.prefix(cutBytes).write(to: URL(fileURLWithPath: copy + "/data.mdb"))

            let verified = try await ChildProcess.run(try ToolsFixture.hooklog(), ["verify", "--data-dir", copy])
            #expect(verified.status == 2, "\(verified.output)")
            #expect(verified.output.contains("a read of data.mdb failed (SIGBUS)") && !verified.output.contains("crashed"), "\(verified.output)")
        }
    }
}
