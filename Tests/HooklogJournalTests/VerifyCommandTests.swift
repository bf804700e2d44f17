import Foundation
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
            let intact = try Self.run(hooklog, ["verify", "--data-dir", path])
            #expect(intact.status == 0)
            #expect(intact.output.contains("verified 10 records"))

            var file = try Data(contentsOf: URL(fileURLWithPath: path + "/data.mdb"))
            let offset = try #require(file.firstRange(of: Data(marker))?.lowerBound)
            file[offset + 3] ^= 0x20
            try file.write(to: URL(fileURLWithPath: path + "/data.mdb"))

            let broken = try Self.run(hooklog, ["verify", "--data-dir", path])
            #expect(broken.status == 1)
            #expect(broken.output.contains("chain broken at sequence 7"))
        }
    }

    @Test func missingDataDirectoryIsAClearErrorNotANewEnvironment() async throws {
        let hooklog = try BuiltProducts.executable("hooklog")
        try await withTemporaryFolder { path in
            let result = try Self.run(hooklog, ["verify", "--data-dir", path + "/nothing-here"])
            #expect(result.status != 0)
            #expect(result.output.contains("no Hooklog data at"))
            #expect(!FileManager.default.fileExists(atPath: path + "/nothing-here"))
        }
    }

    private static func writeJournal(at path: String, records: [[UInt8]]) async throws {
        let journal = try openJournal(at: path)
        _ = try await journal.append(records)
        await journal.close()
    }

    private static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
