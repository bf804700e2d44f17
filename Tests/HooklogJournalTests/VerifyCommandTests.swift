import Foundation
import HooklogCore
import HooklogJournal
import HooklogTestSupport
import Testing

@Suite("hooklog verify")
struct VerifyCommandTests {
    @Test func flippedByteInTheFileOnDiskIsNamedByItsSequence() async throws {
        let hooklog = try BuiltProducts.executable("hooklog")
        try await withTemporaryFolder { path in
            let marker = Array("needle-in-record-7".utf8)
            try await Self.writeJournal(at: path, records: (1...10).map { $0 == 7 ? marker + payload(appender: 0, index: $0) : payload(appender: 0, index: $0) })
            let intact = try await Self.run(hooklog, ["verify", "--data-dir", path])
            #expect(intact.status == 0)
            #expect(intact.output.contains("verified 10 records"))

            var file = try Data(contentsOf: URL(fileURLWithPath: path + "/data.mdb"))
            let offset = try #require(file.firstRange(of: Data(marker))?.lowerBound)
            file[offset + 3] ^= 0x20
            try file.write(to: URL(fileURLWithPath: path + "/data.mdb"))

            let broken = try await Self.run(hooklog, ["verify", "--data-dir", path])
            #expect(broken.status == 1)
            #expect(broken.output.contains("chain broken at sequence 7"))
        }
    }

    @Test func flippedByteInsideAnEventsBodyOfABusyLogIsNamedAndAPipeGetsNoProgressBar() async throws {
        let hooklog = try BuiltProducts.executable("hooklog")
        try await withTemporaryFolder { path in
            #expect(try await Self.run("/usr/bin/nice", ["-n", "19", hooklog, "dev-seed", "--data-dir", path, "--records", "20000"]).status == 0)
            // The seeder's event 1,500 says so in its raw body, once; its line in the export gives its sequence.
            let marker = Array(#""call_id":"call_1500","#.utf8)
            let export = try await Self.run(hooklog, ["export", "--data-dir", path])
            let line = try #require(export.output.split(separator: "\n").first { $0.contains("event_received") && $0.contains(#"\"call_id\":\"call_1500\","#) })
            let sequence = try #require(line.split(separator: ",").first?.split(separator: ":").last)

            var file = try Data(contentsOf: URL(fileURLWithPath: path + "/data.mdb"))
            // Every copy: LMDB may keep stale copies of a page in free space.
            var searchFrom = file.startIndex
            while let range = file.range(of: Data(marker), in: searchFrom..<file.endIndex) {
                file[range.lowerBound + 12] ^= 0x01
                searchFrom = range.upperBound
            }
            #expect(searchFrom > file.startIndex, "the marker is in the file")
            try file.write(to: URL(fileURLWithPath: path + "/data.mdb"))

            let broken = try await Self.run(hooklog, ["verify", "--data-dir", path])
            #expect(broken.status == 1)
            #expect(broken.output.contains("chain broken at sequence \(sequence):"))
            #expect(!broken.output.contains("\r") && !broken.output.contains("\u{1B}"), "no progress bar in a pipe")
        }
    }

    @Test func theReadToolsLeaveTheDataFileAsTheyFoundItAndCreateNoDatabase() async throws {
        let hooklog = try BuiltProducts.executable("hooklog")
        try await withTemporaryFolder { path in
            // A journal alone: none of the projections' databases exist yet.
            var random = SeededGenerator(seed: 5)
            let tenants = (1...10).map { index in
                Record.tenantCreated(TenantCreated(
                    tenantId: TenantID.generate(timeMs: 1_795_000_000_000, using: &random), name: "tenant \(index)",
                    apiKeyHash: SHA256Hasher.digest(Array("key \(index)".utf8)), defaultSigningSecret: "whsec_AAAA", createdAtMs: 1_795_000_000_000
                ))
            }
            try await Self.writeJournal(at: path, records: tenants.map { $0.encode() })
            let before = try Data(contentsOf: URL(fileURLWithPath: path + "/data.mdb"))
            #expect(try await Self.run(hooklog, ["verify", "--data-dir", path]).status == 0)
            let export = try await Self.run(hooklog, ["export", "--data-dir", path])
            #expect(export.status == 0)
            #expect(export.output.contains(#""count":10"#))
            let inspect = try await Self.run(hooklog, ["inspect", "--data-dir", path, "\(EventID.generate(timeMs: 1_795_000_000_000, using: &random))"])
            #expect(inspect.status == 1)
            #expect(inspect.output.contains("the data has no tenants database yet"))
            #expect(try Data(contentsOf: URL(fileURLWithPath: path + "/data.mdb")) == before, "not a byte of data.mdb changed")
        }
    }

    @Test func missingDataDirectoryIsAClearErrorNotANewEnvironment() async throws {
        let hooklog = try BuiltProducts.executable("hooklog")
        try await withTemporaryFolder { path in
            let result = try await Self.run(hooklog, ["verify", "--data-dir", path + "/nothing-here"])
            #expect(result.status == 2, "not a broken chain (1): \(result.output)")
            #expect(result.output.contains("no Hooklog data at"))
            #expect(!FileManager.default.fileExists(atPath: path + "/nothing-here"))
        }
    }

    private static func writeJournal(at path: String, records: [[UInt8]]) async throws {
        let journal = try openJournal(at: path)
        _ = try await journal.append(records)
        await journal.close()
    }

    private static func run(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await ChildProcess.run(executable, arguments)
    }
}
