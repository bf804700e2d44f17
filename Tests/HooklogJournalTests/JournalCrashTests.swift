import Foundation
import HooklogCore
import HooklogJournal
import HooklogTestSupport
import Testing

@Suite("Journal crash safety")
struct JournalCrashTests {
    @Test(.timeLimit(.minutes(5)))
    func killedAppenderLosesNothingItAcknowledged() async throws {
        let child = try BuiltProducts.executable("JournalCrashChild")
        try await withTemporaryFolder { path in
            let data = path + "/data"
            // One environment in this process for all rounds: LMDB forbids opening one twice in a process.
            let journal = try openJournal(at: data)
            var acknowledgedCount = 0
            for round in 0..<10 {
                let acknowledgements = try await Self.runChildUntilKilled(child, data: data, ackFile: path + "/acks-\(round)")
                acknowledgedCount += acknowledgements.count
                for (sequence, digest) in acknowledgements {
                    let entry = try #require(try journal.reader.entry(at: sequence), "acknowledged \(sequence) is missing")
                    #expect(SHA256Hasher.digest(entry.payload) == digest, "record \(sequence) changed")
                }
                let verification = try ChainVerifier(reader: journal.reader).verify()
                #expect(verification.isIntact, "round \(round): \(String(describing: verification.firstBreak))")
                // A batch the child committed but never acknowledged may surface only once the next
                // writer recovers LMDB's lock (the kill can fall between the meta page and the lock
                // file's txnid): so the next append is checked against the head after it.
                let next = try await journal.append(Array("after round \(round)".utf8))
                #expect(next > acknowledgements.keys.max() ?? 0)
                #expect(try journal.reader.head().sequence == next)
                #expect(try journal.reader.entry(at: next - 1) != nil || next == 1)
                #expect(try ChainVerifier(reader: journal.reader).verify().intactCount == next)
            }
            #expect(acknowledgedCount > 100, "the child acknowledged too little to prove anything")
            await journal.close()
        }
    }

    /// Starts the child, kills it with SIGKILL at a random moment, and returns what it acknowledged.
    private static func runChildUntilKilled(_ child: String, data: String, ackFile: String) async throws -> [UInt64: SHA256Digest] {
        _ = FileManager.default.createFile(atPath: ackFile, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: ackFile))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: child)
        process.arguments = [data, "32"]
        process.standardOutput = output
        try process.run()
        // Killed at a random moment once it has acknowledged 20 records, however slow its start.
        let deadline = ContinuousClock.now.advanced(by: .seconds(20))
        while Self.lineCount(ofFile: ackFile) < 20, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        try await Task.sleep(for: .milliseconds(Int.random(in: 0...400)))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try output.close()
        #expect(process.terminationReason == .uncaughtSignal, "the child exited by itself: \(process.terminationStatus)")
        var acknowledgements: [UInt64: SHA256Digest] = [:]
        var lines = try String(contentsOfFile: ackFile, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        // The last piece is empty, or a line the kill cut off: a write(2) that crosses a page of
        // the file stops between pages when a fatal signal comes.
        lines.removeLast()
        for line in lines {
            let fields = line.split(separator: " ")
            let sequence = try #require(fields.count == 2 ? UInt64(fields[0]) : nil, "bad line \(line)")
            guard let digest = SHA256Digest(hex: String(fields[1])) else {
                Issue.record("bad digest in line \(line)")
                continue
            }
            acknowledgements[sequence] = digest
        }
        #expect(acknowledgements.count >= 20, "killed before it had appended anything to speak of")
        return acknowledgements
    }

    /// The whole lines in the file so far.
    private static func lineCount(ofFile path: String) -> Int {
        FileManager.default.contents(atPath: path)?.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) } ?? 0
    }
}
