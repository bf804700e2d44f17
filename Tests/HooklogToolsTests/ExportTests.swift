import Foundation
import HooklogCore
import HooklogJournal
import HooklogTestSupport
import Testing

@Suite("hooklog export", .serialized, .timeLimit(.minutes(1)))
struct ExportTests {
    @Test func tenThousandEventsRoundTripByteForByteAndTheManifestHeadIsVerifysHead() async throws {
        try await ToolsFixture.withStore { fixture in
            let tenantId = try await fixture.tenant()
            _ = try await fixture.endpoint(of: tenantId)
            var generator = SeededGenerator(seed: 6)
            let bodies = (0..<10_000).map { Self.body($0, using: &generator) }
            let bodyByEvent = try await Self.post(bodies, tenant: tenantId, on: fixture)
            #expect(bodyByEvent.count == 10_000)

            let verify = try await fixture.hooklog("verify")
            #expect(verify.status == 0)
            let verifiedHead = try #require(verify.output.split(separator: "hash ").last?.prefix(64)).description

            let jsonl = try await ChildProcess.run("/usr/bin/nice", try ToolsFixture.niced(["export", "--data-dir", fixture.path]), separatingStandardError: true)
            #expect(jsonl.status == 0 && jsonl.standardError.isEmpty, "nothing on stderr in a pipe")
            let jsonOutput = jsonl.standardOutput
            let json = try await OwnThread.run { try RoundTrip(jsonLines: jsonOutput, bodies: bodyByEvent) }
            #expect(json.manifestHead == verifiedHead && json.manifestIsConsistent)
            #expect(json.roundTripped == 10_000 && json.mismatched.isEmpty, "\(json.mismatched.prefix(3))")

            let csv = try await ChildProcess.run("/usr/bin/nice", try ToolsFixture.niced(["export", "--format", "csv", "--data-dir", fixture.path]), separatingStandardError: true)
            #expect(csv.status == 0)
            let csvOutput = csv.standardOutput
            let table = try await OwnThread.run { try RoundTrip(csvRows: csvOutput, bodies: bodyByEvent) }
            #expect(table.manifestHead == verifiedHead && table.manifestIsConsistent)
            #expect(table.roundTripped == 10_000 && table.mismatched.isEmpty, "\(table.mismatched.prefix(3))")
        }
    }

    /// Mistakes that would export nothing, or everything, are refused rather than answered with
    /// an empty export or the whole log.
    @Test func anEmptyWindowAnUnknownTenantAndNumbersThatAreNotMillisecondsAreRefused() async throws {
        try await ToolsFixture.withStore { fixture in
            _ = try await fixture.tenant()
            let hooklog = try ToolsFixture.hooklog()
            var random = IdentifierRandom()
            let unknown = TenantID.generate(timeMs: fixture.nowMs, using: &random)
            let nowMs = fixture.nowMs  // read once: two reads may be a millisecond apart
            let refusals: [([String], String)] = [
                (["--since", "\(nowMs)", "--until", "\(nowMs)"], "window is empty"),
                (["--tenant", unknown.description], "no tenant \(unknown)"),
                (["--since", "1700000000"], "1700000000"),
                // Compact dates, which as milliseconds would be 1976 and 2612.
                (["--since", "202605091400"], "202605091400"),
                (["--until", "20260509140000"], "20260509140000"),
            ]
            for (arguments, reason) in refusals {
                let refused = try await ChildProcess.run(hooklog, ["export", "--data-dir", fixture.path] + arguments)
                // Neither is an export stopped at a damaged entry (1): a usage error is 64, and a
                // tenant the data does not hold is an export that cannot be made (2).
                #expect(refused.status == (reason.hasPrefix("no tenant") ? 2 : 64), "\(arguments): \(refused.status) \(refused.output)")
                #expect(refused.output.contains(reason), "\(arguments): \(refused.output)")
            }
        }
    }

    /// A tenant's export is held line for line, the owners its lines name told again; its
    /// manifest claiming owners unknown (which no tenant's export can be) is found, not a crash.
    @Test func aTenantsExportIsHeldByVerifyAndItsManifestEditedIsNot() async throws {
        try await ToolsFixture.withStore { fixture in
            let tenantId = try await fixture.tenant()
            _ = try await fixture.endpoint(of: tenantId)
            _ = try await fixture.post(Array(#"{"call_id":"c-1"}"#.utf8), tenant: tenantId)
            let other = try await fixture.tenant("Callaro")
            _ = try await fixture.post(Array("{}".utf8), tenant: other)
            for format in ["jsonl", "csv"] {
                let exported = try await fixture.hooklog("export", "--tenant", tenantId.description, "--format", format)
                let file = fixture.path + "/tenant." + format
                try Data(exported.output.utf8).write(to: URL(fileURLWithPath: file))
                let held = try await fixture.hooklog("verify", "--export", file)
                #expect(held.status == 0 && held.output.contains("lines: as the log has them"), "\(format): \(held.output)")

                let edited = fixture.path + "/edited." + format
                try Data(exported.output.replacingOccurrences(of: "owners_known\":true", with: "owners_known\":false")
                    .replacingOccurrences(of: "owners_known\"\":true", with: "owners_known\"\":false").utf8).write(to: URL(fileURLWithPath: edited))
                let refused = try await fixture.hooklog("verify", "--export", edited)
                #expect(refused.status == 1, "\(format): \(refused.output)")
                #expect(refused.output.contains("lines: NOT AS THE LOG HAS THEM: its manifest line is not as an export writes it"), "\(format): \(refused.output)")
                #expect(refused.output.contains("lines: as the log has them") == false)
            }
        }
    }

    @Test func secretsNeverAppearInEitherFormatButTheStoredChainHashesDo() async throws {
        try await ToolsFixture.withStore { fixture in
            let keys = [0xA1, 0xB2, 0xC3, 0xD4].map { [UInt8](repeating: $0, count: 32) }
            let tenantSecret = "whsec_" + Base64.encode(keys[0])
            let endpointSecret = "whsec_" + Base64.encode(keys[1])
            let rotatedSecret = "whsec_" + Base64.encode(keys[2])
            let rotatedInlineSecret = "whsec_" + Base64.encode(keys[3])
            let bearerToken = "calleague-token-7d1f9c"
            let newBearerToken = "calleague-token-rotated-42aa"
            let tenantId = try await fixture.tenant(secret: tenantSecret)
            let endpointId = try await fixture.endpoint(of: tenantId, secret: endpointSecret, bearerToken: bearerToken)
            try await fixture.store.append([
                .endpointSecretRotated(EndpointSecretRotated(tenantId: tenantId, endpointId: endpointId, newSecret: rotatedSecret, previousSecretValidUntilMs: fixture.nowMs + 1, rotatedAtMs: fixture.nowMs)),
                .endpointUpdated(EndpointUpdated(tenantId: tenantId, endpointId: endpointId, bearerToken: .set(newBearerToken), updatedAtMs: fixture.nowMs)),
                .tenantInlineSecretRotated(TenantInlineSecretRotated(tenantId: tenantId, newSecret: rotatedInlineSecret, previousSecretValidUntilMs: fixture.nowMs + 1, rotatedAtMs: fixture.nowMs)),
            ])
            try await fixture.post(Array(#"{"type":"call.completed","data":{}}"#.utf8), tenant: tenantId)
            // Each as given, and the signing keys also as the key part alone and as hex of its bytes.
            let secrets = [tenantSecret, endpointSecret, rotatedSecret, rotatedInlineSecret, bearerToken, newBearerToken]
                + keys.map(Base64.encode) + keys.map { $0.map { String(format: "%02x", $0) }.joined() }
            let entries = try LogReader(environment: fixture.store.environment).entries(from: 1, limit: 100)
            for format in ExportFormat.allCases {
                let output = String(decoding: try Self.export(fixture, format: format), as: UTF8.self)
                for secret in secrets {
                    #expect(!output.contains(secret), "\(format) holds a secret")
                    #expect(!output.contains(Base64.encode(Array(secret.utf8))), "\(format) holds a secret in base64")
                }
                #expect(output.contains("[redacted]"))
                for entry in entries {
                    #expect(output.contains(entry.chainHash.hex), "\(format) lacks the stored hash of \(entry.sequence)")
                }
            }
        }
    }

    @Test func aTenantSeesOnlyItsOwnRecordsAndTheWindowIsByAppendTime() async throws {
        let clock = ManualClock(1_778_000_000_000)
        try await ToolsFixture.withStore(clock: clock) { fixture in
            let callina = try await fixture.tenant("Callina")
            let callaro = try await fixture.tenant("Callaro")
            _ = try await fixture.endpoint(of: callina)
            _ = try await fixture.endpoint(of: callaro)
            clock.set(1_778_000_010_000)
            let ours = try await fixture.post(Array("ours".utf8), tenant: callina)
            let theirs = try await fixture.post(Array("theirs".utf8), tenant: callaro)
            try await fixture.attempt(ours.deliveries[0].deliveryId, answering: 200)
            try await fixture.attempt(theirs.deliveries[0].deliveryId, answering: 200)
            clock.set(1_778_000_020_000)
            try await fixture.post(Array("later".utf8), tenant: callina)

            let tenantLines = try ExportParsing.jsonLines(try Self.export(fixture, filter: ExportFilter(tenantId: callina)))
            let text = String(decoding: try JSONSerialization.data(withJSONObject: tenantLines), as: UTF8.self)
            #expect(!text.contains(callaro.description) && !text.contains(theirs.eventId.description))
            #expect(!text.contains(theirs.deliveries[0].deliveryId.description))
            let kinds = tenantLines.compactMap { $0["kind"] as? String }
            #expect(kinds == [
                "tenant_created", "endpoint_created", "event_received", "delivery_planned",
                "attempt_started", "attempt_finished", "delivery_succeeded", "event_received", "delivery_planned", "manifest",
            ])
            #expect(tenantLines.dropLast().allSatisfy { $0["tenant_id"] as? String == callina.description }, "attempts and outcomes name their delivery's tenant")

            let window = ExportFilter(sinceMs: 1_778_000_010_000, untilMs: 1_778_000_020_000)
            let windowLines = try ExportParsing.jsonLines(try Self.export(fixture, filter: window))
            let manifest = try #require(windowLines.last)
            let head = try LogReader(environment: fixture.store.environment).head()
            #expect(windowLines.dropLast().allSatisfy { ($0["appended_at"] as? String)?.hasPrefix("2026-05-05T16:53:30") == true })
            #expect(manifest["count"] as? Int == 10 && manifest["first_sequence"] as? Int == 5)
            #expect(manifest["head_sequence"] as? Int == Int(head.sequence) - 2, "the head is the window's last entry, not the log's")
            #expect(manifest["window_closed"] as? Bool == true, "the log has passed the window's end")
            let everything = try ExportParsing.jsonLines(try Self.export(fixture))
            #expect(everything.last?["chain_head"] as? String == head.chainHash.hex)
            let theirOutcomes = everything.filter { $0["kind"] as? String == "delivery_succeeded" }.compactMap { $0["tenant_id"] as? String }
            #expect(theirOutcomes == [callina.description, callaro.description], "the admin's lines name every record's tenant")
            #expect(everything.last?["window_closed"] as? Bool == false, "no end: more records may come")
            let unfinished = ExportFilter(sinceMs: 1_778_000_010_000, untilMs: 1_778_000_030_000)
            let unfinishedLines = try ExportParsing.jsonLines(try Self.export(fixture, filter: unfinished))
            #expect(unfinishedLines.last?["window_closed"] as? Bool == false, "records stamped before the end may still come")
        }
    }

    @Test func aTenantsExportKeepsTheRecordsOfAnEndpointItDeletedBeforeAnyDelivery() async throws {
        try await ToolsFixture.withStore { fixture in
            let callina = try await fixture.tenant("Callina")
            let callaro = try await fixture.tenant("Callaro")
            let endpointId = try await fixture.endpoint(of: callina)
            let store = fixture.store
            _ = try await store.updateEndpoint(endpointId, tenantId: callina, EndpointChange(description: "CRM"), nowMs: fixture.nowMs)
            _ = try await store.rotateEndpointSecret(endpointId, tenantId: callina, newSecret: "whsec_" + Base64.encode(Array(repeating: 7, count: 32)), madeFor: "standard", gracePeriodMs: 1, nowMs: fixture.nowMs)
            _ = try await store.updateEndpoint(endpointId, tenantId: callina, EndpointChange(isEnabled: false), nowMs: fixture.nowMs)
            _ = try await store.updateEndpoint(endpointId, tenantId: callina, EndpointChange(isEnabled: true), nowMs: fixture.nowMs)
            #expect(try await store.deleteEndpoint(endpointId, tenantId: callina, nowMs: fixture.nowMs))

            let ours = try ExportParsing.jsonLines(try Self.export(fixture, filter: ExportFilter(tenantId: callina)))
            let endpointKinds = ["endpoint_created", "endpoint_updated", "endpoint_secret_rotated", "endpoint_disabled", "endpoint_enabled", "endpoint_deleted"]
            #expect(ours.compactMap { $0["kind"] as? String }.filter { $0.hasPrefix("endpoint_") } == endpointKinds)
            #expect(ours.dropLast().allSatisfy { $0["tenant_id"] as? String == callina.description }, "every line names its tenant")
            let theirs = try ExportParsing.jsonLines(try Self.export(fixture, filter: ExportFilter(tenantId: callaro)))
            #expect(!theirs.contains { ($0["kind"] as? String)?.hasPrefix("endpoint_") == true })
        }
    }

    @Test func anEndpointCreationShowsTheIdempotencyKeyItCameWith() async throws {
        try await ToolsFixture.withStore { fixture in
            let callina = try await fixture.tenant("Callina")
            let request = IdempotentRequest(key: "crm-endpoint", bodyDigest: SHA256Hasher.digest(Array("{}".utf8)))
            let draft = EndpointDraft(url: "https://receiver.example/crm", signingSecret: "whsec_" + Base64.encode(Array(repeating: 7, count: 32)))
            _ = try await fixture.store.createEndpoint(tenantId: callina, draft, idempotentRequest: request, nowMs: fixture.nowMs)
            _ = try await fixture.store.createEndpoint(tenantId: callina, draft, nowMs: fixture.nowMs)
            let created = try ExportParsing.jsonLines(try Self.export(fixture))
                .filter { $0["kind"] as? String == "endpoint_created" }
                .compactMap { $0["record"] as? [String: Any] }
            #expect(created.map { $0["idempotency_key"] as? String } == ["crm-endpoint", nil])
            #expect(created.allSatisfy { $0.keys.contains("idempotency_key") }, "null when none came")
        }
    }

    @Test func aTenantCreationShowsTheIdempotencyKeyItCameWith() async throws {
        try await ToolsFixture.withStore { fixture in
            let request = IdempotentRequest(key: "onboard-callina", bodyDigest: SHA256Hasher.digest(Array("{}".utf8)))
            _ = try await fixture.store.createTenant(
                name: "Callina", apiKeyHash: SHA256Hasher.digest(Array("key-1".utf8)), defaultSigningSecret: "whsec_x", idempotentRequest: request, nowMs: fixture.nowMs
            )
            _ = try await fixture.tenant("Callaro")
            let created = try ExportParsing.jsonLines(try Self.export(fixture))
                .filter { $0["kind"] as? String == "tenant_created" }
                .compactMap { $0["record"] as? [String: Any] }
            #expect(created.map { $0["idempotency_key"] as? String } == ["onboard-callina", nil])
        }
    }

    /// A log whose last key is damaged (here, to 0) is refused, not exported short behind a
    /// manifest that looks whole.
    @Test func aLogWhoseLastKeyIsDamagedIsRefusedNotExportedShort() async throws {
        try await ToolsFixture.withStore { fixture in
            try await Self.damageLastEntry(of: fixture) { transaction, log, head, last in
                _ = try transaction.delete(forKey: LogEntryLayout.key(head), in: log)
                try transaction.put(last, forKey: LogEntryLayout.key(0), in: log)
            }
            let error = #expect(throws: LogFormatError.self) { try Self.export(fixture) }
            #expect(error?.description.contains("hooklog verify") == true, "\(String(describing: error))")
        }
    }

    /// The newest entry's layout byte damaged: the export cannot find its window, and says the
    /// entry may be damaged, not only that its layout is unknown.
    @Test func aLastEntryWhoseLayoutByteIsDamagedIsSaidToBeMaybeDamaged() async throws {
        try await ToolsFixture.withStore { fixture in
            let head = try await Self.damageLastEntry(of: fixture) { transaction, log, head, last in
                var changed = last
                changed[0] ^= 0xFF
                try transaction.put(changed, forKey: LogEntryLayout.key(head), in: log)
            }
            let error = #expect(throws: LogFormatError.self) { try Self.export(fixture) }
            #expect(error?.sequence == head && error?.description.contains("or a damaged one") == true, "\(String(describing: error))")
        }
    }

    /// After one event, damages the log's last entry as `damage` does, given the log, that
    /// entry's sequence and its stored bytes; returns the sequence.
    @discardableResult
    private static func damageLastEntry(
        of fixture: ToolsFixture,
        _ damage: (WriteTransaction, Database, UInt64, [UInt8]) throws -> Void
    ) async throws -> UInt64 {
        _ = try await fixture.post(Array("{}".utf8), tenant: try await fixture.tenant())
        let environment = fixture.store.environment
        let log = environment.database(LogReader.databaseName)
        let head = try fixture.store.journal.reader.head().sequence
        let last = try #require(try environment.read { try $0.value(forKey: LogEntryLayout.key(head), in: log) })
        try environment.write { try damage($0, log, head, last) }
        return head
    }

    /// A key damaged mid-log (here, entry 2's, to 0): the last key still names as many entries
    /// as the log holds, and the export stops at the gap, naming it, instead of skipping it
    /// behind a manifest that looks whole.
    @Test func aLogWithAKeyDamagedMidwayIsRefusedWhereTheGapIs() async throws {
        try await ToolsFixture.withStore { fixture in
            let tenantId = try await fixture.tenant()
            _ = try await fixture.post(Array("{}".utf8), tenant: tenantId)
            _ = try await fixture.post(Array("{}".utf8), tenant: tenantId)
            let environment = fixture.store.environment
            let log = environment.database(LogReader.databaseName)
            #expect(try fixture.store.journal.reader.head().sequence > 2)
            let second = try #require(try environment.read { try $0.value(forKey: LogEntryLayout.key(2), in: log) })
            try environment.write { transaction in
                _ = try transaction.delete(forKey: LogEntryLayout.key(2), in: log)
                try transaction.put(second, forKey: LogEntryLayout.key(0), in: log)
            }
            for format in [ExportFormat.jsonl, .csv] {
                let error = #expect(throws: LogFormatError.self) { try Self.export(fixture, format: format) }
                #expect(error?.sequence == 2 && error?.description.contains("hooklog verify") == true, "\(String(describing: error))")
            }
        }
    }

    /// An entry whose bytes changed after it was appended stops the export at its sequence,
    /// without a manifest, whoever the export is for: its stored chain hash, which the lines and
    /// the manifest show, would let it through unseen.
    @Test func anEntryWhoseBytesChangedStopsTheExportAtItsSequence() async throws {
        try await ToolsFixture.withStore { fixture in
            let tenantId = try await fixture.tenant()
            let otherId = try await fixture.tenant("Calleague AG")
            _ = try await fixture.post(Array(#"{"n":"first"}"#.utf8), tenant: tenantId)
            _ = try await fixture.post(Array(#"{"n":"marked"}"#.utf8), tenant: tenantId)
            _ = try await fixture.post(Array(#"{"n":"last"}"#.utf8), tenant: otherId)
            let damaged = try fixture.store.environment.changeLogEntries(holding: "marked")
            try #require(damaged.count == 1)
            for (filter, format) in [(ExportFilter(), ExportFormat.jsonl), (ExportFilter(), .csv), (ExportFilter(tenantId: otherId), .jsonl)] {
                let error = #expect(throws: LogFormatError.self) { try Self.export(fixture, filter: filter, format: format) }
                #expect(error?.sequence == damaged[0] && error?.description.contains("chain hash") == true, "\(String(describing: error))")
            }
        }
    }

    /// The key a tenant was created with is the admin's: the tenant's own export does not show it.
    @Test func aTenantsOwnExportRedactsTheKeyItWasCreatedWith() async throws {
        try await ToolsFixture.withStore { fixture in
            let request = IdempotentRequest(key: "onboard-callina", bodyDigest: SHA256Hasher.digest(Array("{}".utf8)))
            let callina = try await fixture.store.createTenant(
                name: "Callina", apiKeyHash: SHA256Hasher.digest(Array("key-1".utf8)), defaultSigningSecret: "whsec_x", idempotentRequest: request, nowMs: fixture.nowMs
            )
            for format in [ExportFormat.jsonl, .csv] {
                let output = try Self.export(fixture, filter: ExportFilter(tenantId: callina), format: format)
                #expect(!String(decoding: output, as: UTF8.self).contains("onboard-callina"), "\(format)")
            }
            let created = try ExportParsing.jsonLines(try Self.export(fixture, filter: ExportFilter(tenantId: callina)))
                .filter { $0["kind"] as? String == "tenant_created" }
                .compactMap { $0["record"] as? [String: Any] }
            #expect(created.map { $0["idempotency_key"] as? String } == ["[redacted]"])
        }
    }

    @Test func aManualRetryShowsTheIdempotencyKeyItCameWith() async throws {
        try await ToolsFixture.withStore { fixture in
            let tenantId = try await fixture.tenant()
            _ = try await fixture.endpoint(of: tenantId)
            let deliveryId = try await fixture.post(Array("{}".utf8), tenant: tenantId).deliveries[0].deliveryId
            #expect(try await fixture.attempt(deliveryId, answering: 200) == .succeeded)
            _ = try await fixture.store.retryDelivery(deliveryId, tenantId: tenantId, idempotencyKey: "resend-1", nowMs: fixture.nowMs)
            #expect(try await fixture.attempt(deliveryId, answering: 200) == .succeeded)
            _ = try await fixture.store.retryDelivery(deliveryId, tenantId: tenantId, nowMs: fixture.nowMs)
            let retries = try ExportParsing.jsonLines(try Self.export(fixture))
                .filter { $0["kind"] as? String == "delivery_retry_scheduled" }
                .compactMap { $0["record"] as? [String: Any] }
            #expect(retries.map { $0["idempotency_key"] as? String } == ["resend-1", nil])
            #expect(retries.allSatisfy { $0.keys.contains("idempotency_key") }, "null when none came")
        }
    }

    @Test func aTenantWithFewRecordsInABigLogGetsItsExportInShortSteps() async throws {
        try await ToolsFixture.withStore { fixture in
            let few = try await fixture.tenant("Callina")
            let many = try await fixture.tenant("Callaro")
            let ours = try await fixture.post(Array("ours".utf8), tenant: few)
            var generator = SeededGenerator(seed: 3)
            _ = try await Self.post((0..<10_000).map { Self.body($0, using: &generator) }, tenant: many, on: fixture)
            let later = try await fixture.post(Array("later".utf8), tenant: few)

            var export = try LogExport(environment: fixture.store.environment, projections: fixture.store.projections, filter: ExportFilter(tenantId: few), format: .jsonl)
            var output: [UInt8] = []
            var emptyChunkCount = 0
            var readBefore = export.readCount
            while let chunk = try export.nextChunk() {
                #expect(export.readCount - readBefore <= UInt64(LogExport.maxRecordsReadPerChunk), "one step read too much")
                readBefore = export.readCount
                if chunk.isEmpty { emptyChunkCount += 1 }
                output += chunk
            }
            #expect(emptyChunkCount >= 1, "steps that found none of the tenant's records still came back")
            let lines = try ExportParsing.jsonLines(output)
            let events = lines.filter { $0["kind"] as? String == "event_received" }.compactMap { ($0["record"] as? [String: Any])?["event_id"] as? String }
            #expect(events == [ours.eventId.description, later.eventId.description])
            #expect(lines.last?["count"] as? Int == 3, "the tenant, and its two events")
        }
    }

    /// A server of another build that starts while an export runs empties the projections to
    /// rebuild them: an export telling tenants by them stops, rather than name no tenant (or leave
    /// a tenant's records out) from there on; one that does not read them goes on.
    @Test func anExportTellingTenantsStopsWhenARebuildStartsUnderIt() async throws {
        try await ToolsFixture.withStore { fixture in
            let tenantId = try await fixture.tenant()
            _ = try await fixture.endpoint(of: tenantId)
            for index in 0..<40 { try await fixture.post(Array("{\"n\":\(index)}".utf8), tenant: tenantId) }
            let environment = fixture.store.environment
            var tenants = try LogExport(environment: environment, projections: fixture.store.projections, filter: ExportFilter(tenantId: tenantId), format: .jsonl)
            var everything = try LogExport(environment: environment, projections: nil, format: .jsonl)
            let first = try #require(try tenants.nextChunk(targetByteCount: 512))
            #expect(!first.isEmpty)
            _ = try everything.nextChunk(targetByteCount: 512)
            let stoppedAt = tenants.readCount + 1

            let meta = environment.database(ProjectionRebuilder.metaDatabaseName)
            try environment.write { try $0.put([1], forKey: Array("projections.rebuilding".utf8), in: meta) }
            let error = try #require(throws: ExportInterrupted.self) { _ = try tenants.nextChunk(targetByteCount: 512) }
            #expect(error.sequence == stoppedAt && error.reason.contains("rebuild"), "\(error)")
            var rest: [UInt8] = []
            while let chunk = try everything.nextChunk(targetByteCount: 512) { rest += chunk }
            #expect(try ExportParsing.jsonLines(rest).last?["count"] != nil, "the log alone is exported to its manifest")
        }
    }

    private static func export(_ fixture: ToolsFixture, filter: ExportFilter = ExportFilter(), format: ExportFormat = .jsonl) throws -> [UInt8] {
        var export = try LogExport(environment: fixture.store.environment, projections: fixture.store.projections, filter: filter, format: format)
        var output: [UInt8] = []
        while let chunk = try export.nextChunk(targetByteCount: 4096) { output += chunk }
        return output
    }

    /// Posts the bodies, 500 at a time concurrently (so that they share commits); returns them by event id.
    ///
    /// The children call the store directly: with Swift 6.3.1 (debug), children that call
    /// `ToolsFixture.post` while the parent consumes the group's results one by one crash the
    /// test process (a job resumed through a null function pointer), which direct calls never do.
    private static func post(_ bodies: [[UInt8]], tenant tenantId: TenantID, on fixture: ToolsFixture) async throws -> [String: [UInt8]] {
        let store = fixture.store
        var bodyByEvent: [String: [UInt8]] = [:]
        for start in stride(from: 0, to: bodies.count, by: 500) {
            try await withThrowingTaskGroup(of: (String, [UInt8]).self) { group in
                for body in bodies[start..<min(start + 500, bodies.count)] {
                    group.addTask {
                        let submission = EventSubmission(tenantId: tenantId, type: "call.completed", rawBody: body, callId: "call_x")
                        let event = try await store.ingest(submission)
                        return (event.eventId.description, body)
                    }
                }
                for try await (eventId, body) in group { bodyByEvent[eventId] = body }
            }
        }
        return bodyByEvent
    }

    /// A body of JSON-like text with everything an escaper can get wrong; one in fifty is not UTF-8.
    private static func body(_ index: Int, using generator: inout SeededGenerator) -> [UInt8] {
        let pieces = ["\"quoted\"", "back\\slash", "tab\t", "new\nline", "nul\u{0}", "\u{1F}", "Grüße", "🙂", "plain text", "/slash/", "\r\n", "{\"data\":[1,2]}"]
        var text = "{\"index\":\(index),\"text\":\""
        for _ in 0..<Int.random(in: 1...40, using: &generator) { text += pieces[Int.random(in: 0..<pieces.count, using: &generator)] }
        var bytes = Array((text + "\"}").utf8)
        if index % 50 == 7 { bytes.insert(contentsOf: [0xFF, 0xC3, 0x28], at: 5) }
        return bytes
    }
}
