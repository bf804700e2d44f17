import Foundation
import HooklogTestSupport
import Testing

/// Long runs show a progress bar on a terminal, fitted to its width, and stay quiet in a pipe.
/// The terminal is a real one: `script` runs each command on a pseudo-terminal of a set width.
@Suite("Progress bars")
struct ProgressBarTests {
    @Test func longRunsDrawABarThatFitsTheTerminalAndNoneInAPipe() async throws {
        let folder = NSTemporaryDirectory() + "hooklog-progress-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let data = folder + "/data"
        let hooklog = try ToolsFixture.hooklog()
        // Enough records for every run to report its progress (every 65,536).
        let seed = try await ChildProcess.run(hooklog, ["dev-seed", "--data-dir", data, "--records", "70000"])
        try #require(seed.status == 0, "\(seed.output)")

        let wide = try await Self.onTerminal(columns: 100, "\(hooklog) verify --data-dir \(data)")
        #expect(wide.contains("\u{1B}[Kverify [#"), "a bar on a wide terminal: \(wide.debugDescription)")
        for (label, command) in [
            ("verify", "verify --data-dir \(data)"),
            ("rebuild", "rebuild --data-dir \(data)"),
            ("rebuild --check", "rebuild --check --data-dir \(data)"),
            ("export", "export --data-dir \(data) > \(folder)/out.jsonl"),
        ] {
            let shown = try await Self.onTerminal(columns: 60, "\(hooklog) \(command)")
            #expect(shown.contains("\u{1B}[K\(label) "), "\(label) drew no progress: \(shown.debugDescription)")
            // Each drawing, from its clearing to the next carriage return, is one column short of
            // the width: a line that wraps is only partly cleared by the next.
            // (What follows the last clearing is the run's report, not a drawing.)
            let drawings = shown.components(separatedBy: "\u{1B}[K").dropFirst()
                .map { String($0.unicodeScalars.prefix { $0 != "\r" && $0 != "\n" }) }
                .filter { $0.hasPrefix(label + " ") }
            #expect(!drawings.isEmpty && drawings.allSatisfy { $0.unicodeScalars.count <= 59 }, "\(label): \(drawings)")
        }
        // A resend learns how many tenants it searches as it goes, and draws a bar of them.
        let resend = try await Self.onTerminal(columns: 100, "\(hooklog) resend --data-dir \(data) --since 2020-01-01T00:00:00Z --until 2100-01-01T00:00:00Z --status all")
        #expect(resend.contains("\u{1B}[Kresend [#"), "resend drew no bar: \(resend.debugDescription)")
        for arguments in [["rebuild"], ["rebuild", "--check"]] {
            let piped = try await ChildProcess.run(hooklog, arguments + ["--data-dir", data])
            #expect(piped.status == 0 && !piped.output.contains("\u{1B}"), "\(arguments) in a pipe: \(piped.output.debugDescription)")
        }
    }

    /// What `command` writes, run by a shell on a pseudo-terminal `columns` wide.
    private static func onTerminal(columns: Int, _ command: String) async throws -> String {
        let run = try await ChildProcess.run("/usr/bin/script", ["-qfec", "stty cols \(columns) rows 20; \(command)", "/dev/null"])
        #expect(run.status == 0, "\(command): \(run.output)")
        return run.output
    }
}
