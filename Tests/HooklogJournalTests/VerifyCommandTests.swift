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
            try await Self.writeJournalMarkingRecord7(at: path)
            let intact = try await Self.run(hooklog, ["verify", "--data-dir", path])
            #expect(intact.status == 0)
            #expect(intact.output.contains("verified 10 records"))

            try Self.flipAByteOfRecord7(at: path)
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
            // Export gives the same verdict, as its exit status too: the log is damaged (1).
            let stopped = try await ChildProcess.run(hooklog, ["export", "--data-dir", path], separatingStandardError: true)
            let told = String(decoding: stopped.standardError, as: UTF8.self)
            #expect(stopped.status == 1, "\(told)")
            #expect(told.contains("export stopped without its manifest: log entry \(sequence):"), "\(told)")
            #expect(!String(decoding: stopped.standardOutput, as: UTF8.self).contains(#""kind":"manifest""#))
        }
    }

    @Test func aKeptHeadShowsALogCutShortOrRewrittenWholeThatTheWalkCannot() async throws {
        let hooklog = try BuiltProducts.executable("hooklog")
        try await withTemporaryFolder { folder in
            let live = folder + "/live"
            let restored = folder + "/restored"
            try FileManager.default.createDirectory(atPath: live, withIntermediateDirectories: false)
            try await Self.writeJournal(at: live, records: Self.tenantsCreated(named: "first", count: 10))
            let firstExport = folder + "/first.jsonl"
            let firstCSVExport = folder + "/first.csv"
            try await Self.export(hooklog, live, to: firstExport)
            try await Self.export(hooklog, live, to: firstCSVExport, format: "csv")
            let hashAt5 = try #require(try Self.chainHash(atSequence: 5, inExport: firstExport))
            try FileManager.default.copyItem(atPath: live, toPath: restored)
            try await Self.writeJournal(at: live, records: Self.tenantsCreated(named: "second", count: 10))
            let secondExport = folder + "/second.jsonl"
            try await Self.export(hooklog, live, to: secondExport)

            let held = try await Self.run(hooklog, ["verify", "--data-dir", live, "--export", firstExport, "--export", firstCSVExport, "--export", secondExport, "--head", "5:\(hashAt5)"])
            #expect(held.status == 0, "\(held.output)")
            #expect(held.output.components(separatedBy: ": held: ").count == 5, "\(held.output)")
            // The first export's window was open: the ten records appended since come after its head.
            #expect(held.output.contains("export \(firstExport): lines: as the log has them: 10 record lines"), "\(held.output)")
            #expect(held.output.contains("export \(secondExport): lines: as the log has them: 20 record lines"), "\(held.output)")
            #expect(Self.line(of: held.output, startingWith: "export \(firstCSVExport): head 10:")?.contains(": held: ") == true, "\(held.output)")

            // The copy taken at sequence 10 put back: a whole chain, which the walk alone passes.
            #expect(try await Self.run(hooklog, ["verify", "--data-dir", restored]).status == 0)
            let cutShort = try await Self.run(hooklog, ["verify", "--data-dir", restored, "--export", firstExport, "--export", secondExport])
            #expect(cutShort.status == 1)
            #expect(Self.line(of: cutShort.output, startingWith: "export \(firstExport): head 10:")?.contains(": held: ") == true, "\(cutShort.output)")
            #expect(Self.line(of: cutShort.output, startingWith: "export \(secondExport): head 20:")?.contains("NOT HELD: the log ends at sequence 10, before 20") == true, "\(cutShort.output)")

            // Other records written after it: still a whole chain, but not the one the second export saw.
            try await Self.writeJournal(at: restored, records: Self.tenantsCreated(named: "forged", count: 10))
            #expect(try await Self.run(hooklog, ["verify", "--data-dir", restored]).status == 0)
            let rewritten = try await Self.run(hooklog, ["verify", "--data-dir", restored, "--export", secondExport, "--head", "5:\(hashAt5)"])
            #expect(rewritten.status == 1)
            #expect(rewritten.output.contains("export \(secondExport): lines: NOT AS THE LOG HAS THEM: line 11 (sequence 11) differs"), "\(rewritten.output)")
            #expect(rewritten.output.contains("NOT HELD: the log has hash ") && rewritten.output.contains("at sequence 20: it was rewritten at or before 20"), "\(rewritten.output)")
            #expect(rewritten.output.contains("head 5:\(hashAt5): held"), "the records before the change are still vouched for")
        }
    }

    @Test func aHeadAfterABreakIsNotJudgedAndAFileThatIsNoExportIsNotWalked() async throws {
        let hooklog = try BuiltProducts.executable("hooklog")
        try await withTemporaryFolder { path in
            try await Self.writeJournalMarkingRecord7(at: path)
            let intact = try await Self.run(hooklog, ["verify", "--data-dir", path])
            let headLine = try #require(intact.output.split(separator: "\n").first { $0.hasPrefix("head: sequence 10, hash ") })
            let head = "10:" + headLine.dropFirst("head: sequence 10, hash ".count)
            #expect(try await Self.run(hooklog, ["verify", "--data-dir", path, "--head", head]).status == 0)

            try Self.flipAByteOfRecord7(at: path)
            let broken = try await Self.run(hooklog, ["verify", "--data-dir", path, "--head", head])
            #expect(broken.status == 1)
            #expect(broken.output.contains("head \(head): not judged: the chain breaks at sequence 7, at or before 10"), "\(broken.output)")

            let notAnExport = path + "/notes.jsonl"
            try Data("{\"kind\":\"event_received\"}\n".utf8).write(to: URL(fileURLWithPath: notAnExport))
            for (arguments, message) in [
                (["--export", notAnExport], "does not end with an export's manifest line"),
                (["--export", path + "/missing.jsonl"], "there is no file \(path)/missing.jsonl"),
                (["--export", path], "is a folder, not an export file"),
            ] {
                let refused = try await Self.run(hooklog, ["verify", "--data-dir", path] + arguments)
                #expect(refused.status == 2, "not a verdict on the chain: \(refused.output)")
                #expect(refused.output.contains(message) && !refused.output.contains("chain broken"), "\(refused.output)")
            }
            let malformed = try await Self.run(hooklog, ["verify", "--data-dir", path, "--head", "10:abc"])
            #expect(malformed.status == 64 && malformed.output.contains("sequence:hash"), "a usage error: \(malformed.output)")
        }
    }

    @Test func anExportFileWhoseLinesWereEditedDroppedOrAddedIsNotHeldThoughItsManifestIs() async throws {
        let hooklog = try BuiltProducts.executable("hooklog")
        try await withTemporaryFolder { folder in
            let path = folder + "/data"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            try await Self.writeJournal(at: path, records: Self.tenantsCreated(named: "audited", count: 12))
            for format in ["jsonl", "csv"] {
                let original = folder + "/whole." + format
                try await Self.export(hooklog, path, to: original, format: format)
                let lines = try String(contentsOfFile: original, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                // Records 1 to 12 are lines 1 to 12 of JSON Lines, 2 to 13 of CSV (after its header).
                let offset = format == "csv" ? 1 : 0
                var edited = lines
                edited[5 + offset] = edited[5 + offset].replacingOccurrences(of: "audited 6", with: "audited 7")
                var dropped = lines
                dropped.remove(at: 8 + offset)
                var added = lines
                added.insert(lines[3 + offset], at: 4 + offset)
                var recounted = lines
                recounted[12 + offset] = recounted[12 + offset].replacingOccurrences(of: "count\":12", with: "count\":11")
                recounted[12 + offset] = recounted[12 + offset].replacingOccurrences(of: "count\"\":12", with: "count\"\":11")
                // A member repeated: readers differ on which one counts.
                var repeated = lines
                repeated[12 + offset] = format == "csv"
                    ? repeated[12 + offset].replacingOccurrences(of: #"}",,"#, with: #",""head_sequence"":5}",,"#)
                    : String(repeated[12 + offset].dropLast()) + #","head_sequence":5}"#
                var headless = lines
                headless[12 + offset] = headless[12 + offset].replacingOccurrences(of: "head_sequence\":12", with: "head_sequence\":0")
                    .replacingOccurrences(of: "head_sequence\"\":12", with: "head_sequence\"\":0")
                    .replacingOccurrences(of: Self.chainHash(endingRecordLine: lines[11 + offset]), with: String(repeating: "0", count: 64))
                // Trailing blank lines (more than a read looks back over at once) and CRLF line
                // ends are how files travel; they change nothing.
                let travelled = lines.dropLast().map { $0 + "\r" } + [String(repeating: " \n", count: 40_000)]
                for (name, changed, message) in [
                    ("edited", edited, "line \(6 + offset) (sequence 6) differs from the log's line for it"),
                    ("dropped", dropped, "the log has a line (sequence 9) that the file lacks, before its line \(9 + offset)"),
                    ("added", added, "line \(5 + offset) (sequence 4) is not in the log's export of the window"),
                    ("recounted", recounted, "the manifest counts 11 records (sequences 1…12), the file holds 12 (1…12)"),
                    ("repeated", repeated, "its manifest line is not as an export writes it"),
                    ("headless", headless, "line \(1 + offset) (sequence 1) comes after the manifest's head"),
                    ("travelled", travelled, "as the log has them: 12 record lines"),
                ] {
                    let file = folder + "/\(name)." + format
                    try Data(changed.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: file))
                    let result = try await Self.run(hooklog, ["verify", "--data-dir", path, "--export", file])
                    if name != "headless" {
                        #expect(result.output.contains("export \(file): head 12:") && result.output.contains(": held: "), "the manifest's head is the log's: \(result.output)")
                    }
                    #expect(result.output.contains("export \(file): lines: " + (name == "travelled" ? "" : "NOT AS THE LOG HAS THEM: ") + message), "\(format) \(name): \(result.output)")
                    #expect(result.status == (name == "travelled" ? 0 : 1), "\(format) \(name): \(result.output)")
                }
            }
        }
    }

    @Test func aClosedWindowsExportCutShortWithItsManifestMadeToMatchIsNotHeld() async throws {
        let hooklog = try BuiltProducts.executable("hooklog")
        try await withTemporaryFolder { folder in
            let path = folder + "/data"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            try await Self.writeJournal(at: path, records: Self.tenantsCreated(named: "early", count: 12))
            try await Task.sleep(for: .milliseconds(5))
            let untilMs = UInt64(Date().timeIntervalSince1970 * 1000)
            try await Task.sleep(for: .milliseconds(5))
            try await Self.writeJournal(at: path, records: Self.tenantsCreated(named: "later", count: 3))
            let whole = folder + "/closed.jsonl"
            let export = try await ChildProcess.run(hooklog, ["export", "--data-dir", path, "--until", "\(untilMs)"], separatingStandardError: true)
            try Data(export.standardOutput).write(to: URL(fileURLWithPath: whole))
            let lines = String(decoding: export.standardOutput, as: UTF8.self).split(separator: "\n").map(String.init)
            #expect(lines.count == 13 && lines[12].contains(#""window_closed":true"#), "\(lines.last ?? "")")
            let held = try await Self.run(hooklog, ["verify", "--data-dir", path, "--export", whole])
            #expect(held.status == 0 && held.output.contains("lines: as the log has them: 12 record lines"), "\(held.output)")

            // The last two lines dropped, and the manifest made to match them: its head is line
            // 10's, which the log holds, but the window the log has closed at 12.
            let hashAt10 = try #require(try Self.chainHash(atSequence: 10, inExport: whole))
            let hashAt12 = try #require(try Self.chainHash(atSequence: 12, inExport: whole))
            let manifest = lines[12]
                .replacingOccurrences(of: #""count":12"#, with: #""count":10"#)
                .replacingOccurrences(of: #""last_sequence":12"#, with: #""last_sequence":10"#)
                .replacingOccurrences(of: #""head_sequence":12"#, with: #""head_sequence":10"#)
                .replacingOccurrences(of: hashAt12, with: hashAt10)
            let cut = folder + "/cut.jsonl"
            try Data((lines[0..<10] + [manifest, ""]).joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: cut))
            // The window's end moved to when its head was appended: no export names such a head.
            let appendedAt12 = try #require(lines[11].split(separator: "\"appended_at\":\"").last?.prefix(24))
            let headAppendedAtMs = try #require(TimeFormat.instantMs(rfc3339: String(appendedAt12)))
            let untilText = try #require(lines[12].split(separator: "\"until\":\"").last?.prefix(24))
            let earlier = folder + "/earlier.jsonl"
            let movedUntil = lines[12].replacingOccurrences(of: String(untilText), with: try #require(TimeFormat.rfc3339(instantMs: Int64(headAppendedAtMs), millis: true)))
            try Data((lines[0..<12] + [movedUntil, ""]).joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: earlier))
            let moved = try await Self.run(hooklog, ["verify", "--data-dir", path, "--export", earlier])
            #expect(moved.status == 1 && moved.output.contains("export \(earlier): lines: NOT AS THE LOG HAS THEM: its head was appended at \(appendedAt12), not before the window's until"), "\(moved.output)")

            let refused = try await Self.run(hooklog, ["verify", "--data-dir", path, "--export", cut])
            #expect(refused.status == 1, "\(refused.output)")
            #expect(refused.output.contains("export \(cut): head 10:\(hashAt10): held"), "\(refused.output)")
            #expect(refused.output.contains("export \(cut): lines: NOT AS THE LOG HAS THEM: its window is closed, and the log's last entry in it is 12 (hash \(hashAt12))"), "\(refused.output)")
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

    private static let record7Marker = Array("needle-in-record-7".utf8)

    /// Ten records, the seventh marked so that its bytes can be found in the file.
    private static func writeJournalMarkingRecord7(at path: String) async throws {
        try await Self.writeJournal(at: path, records: (1...10).map { $0 == 7 ? Self.record7Marker + payload(appender: 0, index: $0) : payload(appender: 0, index: $0) })
    }

    /// Changes a byte of record 7 in `data.mdb`, as damage on disk would.
    private static func flipAByteOfRecord7(at path: String) throws {
        var file = try Data(contentsOf: URL(fileURLWithPath: path + "/data.mdb"))
        let offset = try #require(file.firstRange(of: Data(Self.record7Marker))?.lowerBound)
        file[offset + 3] ^= 0x20
        try file.write(to: URL(fileURLWithPath: path + "/data.mdb"))
    }

    /// `count` tenants, named `prefix 1`…, created as records.
    private static func tenantsCreated(named prefix: String, count: Int) -> [[UInt8]] {
        var random = SeededGenerator(seed: UInt64(prefix.utf8.count))
        return (1...count).map { index in
            Record.tenantCreated(TenantCreated(
                tenantId: TenantID.generate(timeMs: 1_795_000_000_000, using: &random), name: "\(prefix) \(index)",
                apiKeyHash: SHA256Hasher.digest(Array("\(prefix) key \(index)".utf8)), defaultSigningSecret: "whsec_AAAA", createdAtMs: 1_795_000_000_000
            )).encode()
        }
    }

    private static func export(_ hooklog: String, _ path: String, to file: String, format: String = "jsonl") async throws {
        let export = try await ChildProcess.run(hooklog, ["export", "--data-dir", path, "--format", format], separatingStandardError: true)
        #expect(export.status == 0)
        try Data(export.standardOutput).write(to: URL(fileURLWithPath: file))
    }

    /// The chain hash that ends a record line of an export (`…,"chain_hash":"…"}` or `…,hash`).
    private static func chainHash(endingRecordLine line: String) -> String {
        String(line.dropLast(line.hasSuffix("}") ? 2 : 0).suffix(64))
    }

    /// The chain hash on the line of `sequence` in a JSON Lines export.
    private static func chainHash(atSequence sequence: UInt64, inExport path: String) throws -> String? {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            .first { $0.hasPrefix("{\"sequence\":\(sequence),") }
            .flatMap { $0.split(separator: "\"chain_hash\":\"").last?.prefix(64) }
            .map(String.init)
    }

    /// The line of `output` that starts with `prefix`.
    private static func line(of output: String, startingWith prefix: String) -> Substring? {
        output.split(separator: "\n").first { $0.hasPrefix(prefix) }
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
