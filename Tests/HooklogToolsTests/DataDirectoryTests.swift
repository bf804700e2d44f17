import Foundation
import HooklogTestSupport
import Testing

/// The tools look for the data directory where `hooklog serve` keeps it: `--data-dir`, else
/// `HOOKLOG_DATA_DIR`, else the configuration file's `dataDir`, else `./data`.
@Suite("Where the tools find the data directory")
struct DataDirectoryTests {
    @Test func theToolsFindTheDataDirectoryWhereServeHasIt() async throws {
        try await ToolsFixture.withStore { fixture in
            _ = try await fixture.tenant()
            let hooklog = try ToolsFixture.hooklog()
            let configPath = fixture.path + "-hooklog.yaml"
            try "hooklog:\n  dataDir: \(fixture.path)\n".write(toFile: configPath, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: configPath) }

            let fromFile = try await ChildProcess.run(hooklog, ["verify", "--config", configPath])
            #expect(fromFile.status == 0, "\(fromFile.output)")
            #expect(fromFile.output.contains("verified"))

            let missing = "/nonexistent/hooklog-data"
            let fromVariable = try await ChildProcess.run("/usr/bin/env", ["HOOKLOG_DATA_DIR=\(missing)", hooklog, "verify", "--config", configPath])
            #expect(fromVariable.status != 0)
            #expect(fromVariable.output.contains(missing), "the variable wins over the file: \(fromVariable.output)")

            for named in [["HOOKLOG_DATA_DIR=", hooklog, "verify", "--config", configPath], [hooklog, "verify", "--data-dir", ""]] {
                let empty = try await ChildProcess.run("/usr/bin/env", named)
                #expect(empty.status != 0 && empty.output.contains("the data directory is named empty"), "\(named): \(empty.output)")
            }

            let fromFlag = try await ChildProcess.run("/usr/bin/env", ["HOOKLOG_DATA_DIR=\(missing)", hooklog, "verify", "--config", configPath, "--data-dir", fixture.path])
            #expect(fromFlag.status == 0, "--data-dir wins over both: \(fromFlag.output)")

            let unreadable = try await ChildProcess.run(hooklog, ["verify", "--config", fixture.path + "-absent.yaml"])
            #expect(unreadable.status != 0)
            #expect(unreadable.output.contains("cannot read the configuration"))

            // Data that cannot be reached (a folder only its owner may enter, or here, as a root
            // run still meets it, a link loop) is not said to be missing.
            let unreachable = fixture.path + "-unreachable"
            try FileManager.default.createDirectory(atPath: unreachable, withIntermediateDirectories: false)
            defer { try? FileManager.default.removeItem(atPath: unreachable) }
            try FileManager.default.createSymbolicLink(atPath: unreachable + "/data.mdb", withDestinationPath: unreachable + "/data.mdb")
            let looped = try await ChildProcess.run(hooklog, ["verify", "--data-dir", unreachable])
            #expect(looped.status != 0 && looped.output.contains("cannot reach \(unreachable)/data.mdb") && !looped.output.contains("no Hooklog data"), "\(looped.output)")

            // A synthetic workload goes only into a folder named, never into the one found by default.
            let unnamed = try await ChildProcess.run("/usr/bin/env", ["HOOKLOG_DATA_DIR=\(fixture.path)", hooklog, "dev-seed", "--records", "10"])
            #expect(unnamed.status != 0 && unnamed.output.contains("name the folder with --data-dir"), "\(unnamed.output)")

            // A count below one is a usage error (exit 64), not a trap.
            let negative = try await ChildProcess.run(hooklog, ["selfcheck", "--data-dir", fixture.path, "--appenders=-1"])
            #expect(negative.status == 64 && negative.output.contains("must be at least 1"), "\(negative.status): \(negative.output)")

            // A misspelt dataDir is refused, by the tools as by serve, rather than ./data used.
            try "hooklog:\n  datadir: \(fixture.path)\n".write(toFile: configPath, atomically: true, encoding: .utf8)
            let misspelt = try await ChildProcess.run(hooklog, ["verify", "--config", configPath])
            #expect(misspelt.status != 0 && misspelt.output.contains("unknown key hooklog.datadir (did you mean dataDir?)"), "\(misspelt.output)")
            // A file named by --config is read, and refused, even where the folder is named apart.
            for named in [[hooklog, "verify", "--config", configPath, "--data-dir", fixture.path], ["HOOKLOG_DATA_DIR=\(fixture.path)", hooklog, "export", "--config", configPath]] {
                let refused = try await ChildProcess.run("/usr/bin/env", named)
                #expect(refused.status != 0 && refused.output.contains("unknown key hooklog.datadir"), "\(named): \(refused.output)")
            }
            let absent = try await ChildProcess.run(hooklog, ["verify", "--config", fixture.path + "-absent.yaml", "--data-dir", fixture.path])
            #expect(absent.status != 0 && absent.output.contains("cannot read the configuration"), "\(absent.output)")
            // (An unusable listen makes a serve that let the key by stop too, rather than run on.)
            let served = try await ChildProcess.run("/usr/bin/env", ["HOOKLOG_LISTEN=nowhere", hooklog, "serve", "--config", configPath])
            #expect(served.status != 0 && served.output.contains("unknown key hooklog.datadir"), "\(served.output)")
        }
    }
}
