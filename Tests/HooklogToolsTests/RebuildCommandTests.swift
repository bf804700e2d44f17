import Foundation
import HooklogCore
import HooklogJournal
import HooklogTestSupport
import Testing

@Suite("hooklog rebuild", .serialized, .timeLimit(.minutes(1)))
struct RebuildCommandTests {
    @Test func checkPassesAfterAMixedWorkloadAndNamesATamperedProjection() async throws {
        try await ToolsFixture.withStore { fixture in
            try await Self.mixedWorkload(on: fixture)
            let check = try await fixture.hooklog("rebuild", "--check")
            #expect(check.status == 0, "\(check.output)")
            #expect(check.output.contains("identical to the live projections"))
            let rebuild = try await fixture.hooklog("rebuild")
            #expect(rebuild.status == 0, "\(rebuild.output)")
            #expect(rebuild.output.contains("rebuilt every projection from"))
            #expect(try await fixture.hooklog("rebuild", "--check").status == 0)

            // A projection that disagrees with the log: a delivery's stored state changed behind its back.
            let deliveries = fixture.store.environment.database(ProjectionTable.deliveries.rawValue)
            let key = try #require(try fixture.store.environment.read { transaction in
                try transaction.withCursor(over: deliveries) { cursor in try cursor.first().map { Array($0.key) } }
            })
            try fixture.store.environment.write { try $0.put([1, 2, 3], forKey: key, in: deliveries) }
            let tampered = try await fixture.hooklog("rebuild", "--check")
            #expect(tampered.status == 1)
            #expect(tampered.output.contains("projections differ from a rebuild of the log, whose chain is intact: deliveries: key \(key.withUnsafeBytes { $0.hexString })"))
            #expect(try !FileManager.default.contentsOfDirectory(atPath: fixture.path).contains { $0.hasPrefix(".rebuild-check") }, "the scratch environment is removed")

            // An index entry live holds and the log does not make, between two that it does: named as live's extra.
            #expect(try await fixture.hooklog("rebuild").status == 0)
            let eventTimes = fixture.store.environment.database(ProjectionTable.eventTimes.rawValue)
            let (first, second) = try fixture.store.environment.read { transaction in
                try transaction.withCursor(over: eventTimes) { cursor in
                    (try cursor.first().map { Array($0.key) }, try cursor.next().map { Array($0.key) })
                }
            }
            var between = try #require(first)
            between.append(0)
            #expect(try ByteOrder.precedes(between, #require(second)), "sorts between the first two")
            try fixture.store.environment.write { try $0.put([], forKey: between, in: eventTimes) }
            let extra = try await fixture.hooklog("rebuild", "--check")
            #expect(extra.status == 1)
            #expect(extra.output.contains("eventTimes: live has key \(between.withUnsafeBytes { $0.hexString }) (entry 1) that the rebuild lacks"), "\(extra.output)")
            // And one the log makes that live lacks.
            try fixture.store.environment.write { transaction in
                _ = try transaction.delete(forKey: between, in: eventTimes)
                _ = try transaction.delete(forKey: #require(second), in: eventTimes)
            }
            let lacking = try await fixture.hooklog("rebuild", "--check")
            #expect(lacking.status == 1)
            #expect(lacking.output.contains("eventTimes: the rebuild has key \(try #require(second).withUnsafeBytes { $0.hexString }) (entry 1) that live lacks"), "\(lacking.output)")
        }
    }

    @Test func readersRefuseProjectionsARebuildLeftUnfinishedAndACheckClearsAKilledChecksScratch() async throws {
        try await ToolsFixture.withStore { fixture in
            let tenantId = try await fixture.tenant()
            _ = try await fixture.endpoint(of: tenantId)
            let event = try await fixture.post(Array("{}".utf8), tenant: tenantId)
            let exported = try await fixture.hooklog("export", "--format", "jsonl")
            let exportFile = fixture.path + "/before.jsonl"
            try Data(exported.output.utf8).write(to: URL(fileURLWithPath: exportFile))
            #expect(exported.output.contains(#""owners_known":true"#))
            // As a rebuild killed midway leaves them: marked, and not to be read.
            let meta = fixture.store.environment.database(ProjectionRebuilder.metaDatabaseName)
            try fixture.store.environment.write { try $0.put([1], forKey: Array("projections.rebuilding".utf8), in: meta) }
            for arguments in [["inspect", event.eventId.description], ["export", "--tenant", tenantId.description]] {
                let refused = try await fixture.hooklog(arguments[0], arguments[1], arguments.count > 2 ? arguments[2] : "--json")
                // Export says it could not export (2), never that the log is damaged (1).
                #expect(refused.status == (arguments[0] == "export" ? 2 : 1), "\(arguments): \(refused.output)")
                #expect(refused.output.contains("a rebuild is under way or was interrupted; run `hooklog rebuild`"), "\(refused.output)")
            }
            #expect(try await fixture.hooklog("export", "--format", "jsonl").status == 0, "the log alone is still exported")
            // The file's lines name owners these projections cannot tell now: the chain and the
            // head are still checked, the lines are not compared (2), never found changed (1).
            let unchecked = try await fixture.hooklog("verify", "--export", exportFile)
            #expect(unchecked.status == 2, "\(unchecked.output)")
            #expect(unchecked.output.contains("export \(exportFile): lines: not compared: its lines name whose each record is"), "\(unchecked.output)")
            #expect(unchecked.output.contains(": held: the log up to sequence"), "\(unchecked.output)")
            let uncheckable = try await fixture.hooklog("rebuild", "--check")
            #expect(uncheckable.status == 2 && uncheckable.output.contains("cannot be compared as they stand"), "\(uncheckable.output)")

            let stale = fixture.path + "/.rebuild-check-killed"
            try FileManager.default.createDirectory(atPath: stale, withIntermediateDirectories: false)
            try Data(repeating: 7, count: 4096).write(to: URL(fileURLWithPath: stale + "/data.mdb"))
            try fixture.store.environment.write { _ = try $0.delete(forKey: Array("projections.rebuilding".utf8), in: meta) }
            let check = try await fixture.hooklog("rebuild", "--check")
            #expect(check.status == 0, "\(check.output)")
            #expect(!FileManager.default.fileExists(atPath: stale), "a killed check's scratch environment is removed")
        }
    }

    @Test func checkPassesAfterTheWriterIsKilledMidBatch() async throws {
        let hooklog = try ToolsFixture.hooklog()
        let path = NSTemporaryDirectory() + "hooklog-killed-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: path) }
        var headBefore: UInt64 = 0
        for round in 0..<2 {
            // At the lowest priority: the seeder only has to be mid-batch when it dies, and the
            // timing-sensitive tests running beside this one keep their processor.
            let seeder = Process()
            seeder.executableURL = URL(fileURLWithPath: "/usr/bin/nice")
            seeder.arguments = ["-n", "19", hooklog, "dev-seed", "--data-dir", path, "--records", "3000000", "--batch-records", "300", "--seed", "\(round)"]
            try seeder.run()
            // Killed once it is committing, seen by the log growing past where the last round left
            // it (a loaded machine may be slow to start it), and a moment into its batches.
            let deadline = ContinuousClock.now.advanced(by: .seconds(30))
            while Self.logHead(at: path) <= headBefore + 1_000, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...200)))
            kill(seeder.processIdentifier, SIGKILL)
            seeder.waitUntilExit()
            #expect(seeder.terminationReason == .uncaughtSignal, "round \(round): the seeder ended by itself")
            let headAfter = Self.logHead(at: path)
            #expect(headAfter > headBefore + 1_000, "round \(round): the seeder was killed before it committed (\(headBefore) → \(headAfter))")
            headBefore = headAfter
            let verify = try await ChildProcess.run("/usr/bin/nice", try ToolsFixture.niced(["verify", "--data-dir", path]))
            #expect(verify.status == 0, "round \(round): \(verify.output)")
            let check = try await ChildProcess.run("/usr/bin/nice", try ToolsFixture.niced(["rebuild", "--check", "--data-dir", path]))
            #expect(check.status == 0, "round \(round): \(check.output)")
            #expect(check.output.contains("identical to the live projections"))
        }
    }

    @Test func aLogThatCannotBeReplayedLeavesTheProjectionsAsTheyWere() async throws {
        try await ToolsFixture.withStore { fixture in
            try await Self.mixedWorkload(on: fixture)
            let environment = fixture.store.environment
            let deliveries = environment.database(ProjectionTable.deliveries.rawValue)
            let countDeliveries = {
                try environment.read { transaction in
                    try transaction.withCursor(over: deliveries) { cursor in
                        var count = 0
                        var item = try cursor.first()
                        while item != nil { count += 1; item = try cursor.next() }
                        return count
                    }
                }
            }
            let deliveryCount = try countDeliveries()
            #expect(deliveryCount > 0)
            // A record in the middle of the log damaged (its kind tag changed): its chain breaks there.
            let log = environment.database(LogReader.databaseName)
            let key = LogEntryLayout.key(3)
            var stored = try #require(try environment.read { try $0.value(forKey: key, in: log) })
            stored[LogEntryLayout.headerByteCount + 1] = 0xEE
            try environment.write { try $0.put(stored, forKey: key, in: log) }

            let rebuild = try await fixture.hooklog("rebuild")
            #expect(rebuild.status != 0, "\(rebuild.output)")
            #expect(rebuild.output.contains("log entry 3: ") && rebuild.output.contains("hooklog verify"), "\(rebuild.output)")
            #expect(try countDeliveries() == deliveryCount, "the projections are not emptied")
            #expect(try ProjectionRebuilder.reasonToRebuild(environment) == nil, "nor marked as a rebuild under way")
        }
    }

    /// The last sequence of the log at `path`, read beside a writer; 0 while there is none.
    private static func logHead(at path: String) -> UInt64 {
        guard FileManager.default.fileExists(atPath: path + "/data.mdb"),
            let environment = try? LMDBEnvironment(.init(path: path, readOnly: true), databaseNames: Journal.databaseNames)
        else { return 0 }
        return (try? LogReader(environment: environment).head().sequence) ?? 0
    }

    @Test func offlineToolsRefuseAHeldDataDirectoryAndResendNeedsTheHoldersAddress() async throws {
        try await ToolsFixture.withStore { fixture in
            _ = try await fixture.tenant()
            let lock = try DataDirectoryLock.acquire(fixture.path)
            defer { withExtendedLifetime(lock) {} }
            // A check that cannot be made exits 2, told apart from a difference (1).
            for (arguments, status) in [(["rebuild"], Int32(1)), (["rebuild", "--check"], 2)] {
                let refused = try await ChildProcess.run("/usr/bin/nice", try ToolsFixture.niced(arguments + ["--data-dir", fixture.path]))
                #expect(refused.status == status, "\(arguments): \(refused.output)")
                #expect(refused.output.contains("refusing to") && refused.output.contains("in use by a running Hooklog (process \(getpid())"))
            }
            // The holder has not said where it listens (a server still starting says nothing yet).
            let resend = try await fixture.hooklog("resend", "--since", "2026-01-01T00:00:00Z", "--until", "2026-01-02T00:00:00Z")
            #expect(resend.status == 1)
            #expect(resend.output.contains("has not said where its API listens") && resend.output.contains("--url"), "\(resend.output)")
        }
    }

    /// Tenants, endpoints, deliveries that succeed, retry and fail, a rotation, an update, a
    /// disabled endpoint, a replay, and a random stream of every other kind of record.
    private static func mixedWorkload(on fixture: ToolsFixture) async throws {
        let tenantId = try await fixture.tenant()
        let first = try await fixture.endpoint(of: tenantId)
        let second = try await fixture.endpoint(of: tenantId, bearerToken: "token")
        let sinceMs = fixture.nowMs
        for index in 0..<20 {
            let event = try await fixture.post(Array("{\"index\":\(index)}".utf8), tenant: tenantId)
            for delivery in event.deliveries {
                let conclusion = try await fixture.attempt(delivery.deliveryId, answering: index % 3 == 0 ? 503 : 200, retryDelaysMs: [])
                if index % 3 == 0 { #expect(conclusion == .failed(.retriesExhausted)) }
            }
        }
        try await fixture.store.append([
            .endpointSecretRotated(EndpointSecretRotated(tenantId: tenantId, endpointId: first, newSecret: "whsec_rotated", previousSecretValidUntilMs: fixture.nowMs + 60_000, rotatedAtMs: fixture.nowMs)),
            .endpointUpdated(EndpointUpdated(tenantId: tenantId, endpointId: second, description: "CRM", bearerToken: .clear, updatedAtMs: fixture.nowMs)),
        ])
        let replay = try await fixture.store.requestReplay(tenantId: tenantId, sinceMs: sinceMs, untilMs: fixture.nowMs + 1, statusFilter: .failed, nowMs: fixture.nowMs)
        #expect(replay.matched == 14)
        try await fixture.store.disableEndpoint(second, reason: .byUser, nowMs: fixture.nowMs)
        var generator = RecordStreamGenerator(seed: 11)
        for _ in 0..<300 { try await fixture.store.append(generator.nextCommand()) }
    }
}
