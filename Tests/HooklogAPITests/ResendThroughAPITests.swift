import Foundation
import HooklogTestSupport
import NIOHTTP1
import Synchronization
import Testing

@Suite("hooklog resend goes through the API of the server that holds the data directory")
struct ResendThroughAPITests {
    /// Runs `hooklog` with `arguments` and `environment` added; its exit status and what it printed.
    static func hooklog(_ arguments: [String], environment: [String: String] = [:]) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try BuiltProducts.executable("hooklog"))
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        merged["HOOKLOG_API_KEY"] = nil
        merged["HOOKLOG_ADMIN_KEY"] = nil
        merged.merge(environment) { _, new in new }
        process.environment = merged
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let exited = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { finished in
            exited.continuation.yield(finished.terminationStatus)
            exited.continuation.finish()
        }
        try process.run()
        // Read as it comes, on a thread of its own (a blocking read would hold one of the few
        // threads tasks run on): more than a pipe holds would stop the child until it is read.
        let printedBytes = AsyncStream<Data>.makeStream()
        Thread.detachNewThread {
            printedBytes.continuation.yield(output.fileHandleForReading.readDataToEndOfFile())
            printedBytes.continuation.finish()
        }
        // A child that has not ended in 30 s is stopped and what it printed shown, rather than
        // the test timing out with nothing to go on (one run did, once, and passed every time since).
        let status = await withTaskGroup(of: Int32?.self) { group in
            group.addTask {
                var iterator = exited.stream.makeAsyncIterator()
                return await iterator.next() ?? -1
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(30))
                return nil
            }
            defer { group.cancelAll() }
            return await group.next() ?? nil
        }
        // Whether the child still ran, or ended unheard.
        let stillRunning = status == nil && process.isRunning
        if stillRunning { process.terminate() }
        var printedIterator = printedBytes.stream.makeAsyncIterator()
        let printed = String(decoding: await printedIterator.next() ?? Data(), as: UTF8.self)
        guard let status else {
            let state = stillRunning ? "was still running" : "had ended, unheard"
            throw ChildTimeout(description: "after 30 s, hooklog \(arguments.joined(separator: " ")) \(state); it printed: \(printed)")
        }
        return (status, printed)
    }

    /// `--since` and `--until` for the minute up to now.
    static func lastMinute() -> [String] {
        let nowMs = ReplayRoutesTests.nowMs()
        return ["--since", ReplayRoutesTests.rfc3339(nowMs - 60_000), "--until", ReplayRoutesTests.rfc3339(nowMs)]
    }

    struct ChildTimeout: Error, CustomStringConvertible {
        let description: String
    }

    /// A window holding more failed deliveries than one replay may re-send is refused by the API
    /// (`replay_too_large`, nothing journaled); `hooklog resend` asks for it in parts, and every
    /// delivery goes out once more.
    @Test(.timeLimit(.minutes(1)))
    func testAWindowTooLargeForOneReplayIsResentInParts() async throws {
        let isDown = Mutex(true)
        let hooklog = try await APIHarness.start(replayMaxDeliveries: 2, script: { _ in isDown.withLock { $0 } ? .status(503) : .status(200) })
        do {
            let key = try await hooklog.createTenant()
            _ = try await hooklog.createEndpoint(key: key, path: "/hook")
            let sinceMs = ReplayRoutesTests.nowMs() - 1
            var eventIds: Set<String> = []
            for index in 0..<5 {
                // Planned a few milliseconds apart: a window is split by planning time.
                try await Task.sleep(for: .milliseconds(3))
                eventIds.insert(try #require(try await hooklog.postEvent(key: key, data: #"{"n":\#(index)}"#).json["id"] as? String))
            }
            _ = try await hooklog.waitFor("/v1/deliveries?status=failed", key: key) { $0.items.count == 5 }
            isDown.withLock { $0 = false }
            let before = hooklog.receiver.requests(on: "/hook").count
            let since = ReplayRoutesTests.rfc3339(sinceMs)
            let until = ReplayRoutesTests.rfc3339(ReplayRoutesTests.nowMs() + 1)

            let refused = try await hooklog.request(.POST, "/v1/replays", key: key, body: #"{"since":"\#(since)","until":"\#(until)","status":"failed"}"#)
            #expect(refused.status == 422 && refused.errorCode == "replay_too_large", "\(refused.json)")
            #expect((refused.json["error"] as? [String: Any])?["split_at"] is String, "where the limit was reached")

            let resend = try await Self.hooklog(
                // Every delivery of the window, not only failed ones, so that a part asked for
                // again below would send its deliveries again unless the run's key holds it back.
                ["resend", "--data-dir", hooklog.folder, "--status", "all", "--since", since, "--until", until],
                environment: ["HOOKLOG_ADMIN_KEY": APIHarness.adminKey]
            )
            #expect(resend.status == 0, "\(resend.output)")
            #expect(resend.output.contains("asked for in") && resend.output.contains("5 deliveries are being sent again now"), "\(resend.output)")
            let asked = resend.output.matches(of: /asking for the part/).count
            let refusedParts = resend.output.matches(of: /too large for one replay, nothing journaled: asking for a part of it/).count
            #expect(refusedParts > 0 && asked == refusedParts + 3, "each ask a refusal does not follow is a part taken: \(resend.output)")
            let resent = try await hooklog.receiver.waitForRequests(before + 5, on: "/hook").dropFirst(before)
            #expect(resent.count == 5 && Set(resent.compactMap { $0.header("webhook-id") }) == eventIds, "each once")

            // Had it been cut short while asking for its last part, what it printed takes it up
            // again: that part, asked for again with the run's key, re-sends nothing twice.
            let runId = try #require(resend.output.firstMatch(of: #/run ([0-9a-f-]+) \(should it be cut short/#)?.1, "\(resend.output)")
            let lastPart = try #require(resend.output.matches(of: /asking for the part --since (\S+) --until (\S+)/).last, "\(resend.output)")
            let again = try await Self.hooklog(
                ["resend", "--data-dir", hooklog.folder, "--status", "all", "--since", String(lastPart.1), "--until", String(lastPart.2), "--run-id", String(runId)],
                environment: ["HOOKLOG_ADMIN_KEY": APIHarness.adminKey]
            )
            #expect(again.status == 0 && again.output.contains("0 deliveries are being sent again now"), "\(again.output)")
            #expect(again.output.contains("more were asked for by the earlier run"), "said to be the earlier answer: \(again.output)")
            try await Task.sleep(for: .milliseconds(500))
            #expect(hooklog.receiver.requests(on: "/hook").count == before + 5, "and no more")
        } catch {
            await hooklog.stop()
            throw error
        }
        await hooklog.stop()
    }

    /// Fails three deliveries, then lets the receiver answer 200; calls `body` with the tenant's
    /// key, the window's `--since` and `--until`, and the failed deliveries' event ids.
    private static func withThreeFailedDeliveries(
        _ body: (APIHarness, _ key: String, _ window: [String], _ eventIds: Set<String>) async throws -> Void
    ) async throws {
        let isDown = Mutex(true)
        try await withAPIHarness(script: { _ in isDown.withLock { $0 } ? .status(503) : .status(200) }) { hooklog in
            let key = try await hooklog.createTenant()
            _ = try await hooklog.createEndpoint(key: key, path: "/hook")
            let sinceMs = ReplayRoutesTests.nowMs() - 1
            var eventIds: Set<String> = []
            for index in 0..<3 {
                eventIds.insert(try #require(try await hooklog.postEvent(key: key, data: #"{"n":\#(index)}"#).json["id"] as? String))
            }
            _ = try await hooklog.waitFor("/v1/deliveries?status=failed", key: key) { $0.items.count == 3 }
            isDown.withLock { $0 = false }
            let window = ["--since", ReplayRoutesTests.rfc3339(sinceMs), "--until", ReplayRoutesTests.rfc3339(ReplayRoutesTests.nowMs() + 1)]
            try await body(hooklog, key, window, eventIds)
        }
    }

    /// The answer to a part lost on its way back, after the replay was journaled: `hooklog
    /// resend` asks once more with the part's Idempotency-Key and gets the first answer. Every
    /// finished delivery is asked for (not only failed ones), so a second replay would re-send
    /// each one again.
    @Test(.timeLimit(.minutes(1)))
    func testAnAnswerLostOnItsWayIsAskedForAgainAndNothingGoesOutTwice() async throws {
        try await Self.withThreeFailedDeliveries { hooklog, key, window, eventIds in
            let before = hooklog.receiver.requests(on: "/hook").count
            let proxy = try AnswerDroppingProxy(to: hooklog.baseURL, droppingFirst: 1)
            defer { proxy.stop() }

            let resend = try await Self.hooklog(["resend", "--data-dir", "/nonexistent/hooklog-data", "--url", proxy.baseURL, "--api-key", key, "--status", "all"] + window)
            #expect(resend.status == 0, "\(resend.output)")
            #expect(resend.output.contains("3 deliveries are being sent again now"), "\(resend.output)")
            let answers = proxy.answers
            #expect(answers.map(\.dropped) == [true, false], "asked twice, the first answer lost")
            #expect(answers.allSatisfy { $0.text.hasPrefix("HTTP/1.1 202") }, "\(answers)")
            #expect(answers.last?.text.lowercased().contains("idempotent-replayed: true") == true, "the second ask got the first answer")

            let resent = try await hooklog.receiver.waitForRequests(before + 3, on: "/hook").dropFirst(before)
            #expect(Set(resent.compactMap { $0.header("webhook-id") }) == eventIds)
            try await Task.sleep(for: .milliseconds(300))
            #expect(hooklog.receiver.requests(on: "/hook").count == before + 3, "each once")
        }
    }

    /// A part left without an answer twice ends the resend with exit status 2 and the command
    /// that asks for it again with the same key (`--run-id`); run, it gets the first answer and
    /// re-sends nothing a second time.
    @Test(.timeLimit(.minutes(1)))
    func testAPartUnansweredTwiceIsAskedForAgainWithTheRunIdItPrinted() async throws {
        try await Self.withThreeFailedDeliveries { hooklog, key, window, eventIds in
            let before = hooklog.receiver.requests(on: "/hook").count
            let proxy = try AnswerDroppingProxy(to: hooklog.baseURL, droppingFirst: 2)
            defer { proxy.stop() }
            let command = ["resend", "--data-dir", "/nonexistent/hooklog-data", "--url", proxy.baseURL, "--api-key", key, "--status", "all"]

            let unanswered = try await Self.hooklog(command + window)
            #expect(unanswered.status == 2, "\(unanswered.output)")
            let advice = try #require(
                unanswered.output.firstMatch(of: /the same command with --since (\S+) --until (\S+) --run-id ([0-9a-f-]+)\s/),
                "\(unanswered.output)"
            )
            #expect([String(advice.1), String(advice.2)] == [window[1], window[3]], "the part is the whole window")
            _ = try await hooklog.receiver.waitForRequests(before + 3, on: "/hook")

            let again = try await Self.hooklog(command + ["--since", String(advice.1), "--until", String(advice.2), "--run-id", String(advice.3)])
            #expect(again.status == 0, "\(again.output)")
            #expect(again.output.contains("0 deliveries are being sent again now") && again.output.contains("3 more were asked for by the earlier run"), "\(again.output)")
            #expect(proxy.answers.map(\.dropped) == [true, true, false])
            #expect(proxy.answers.last?.text.lowercased().contains("idempotent-replayed: true") == true, "the first answer, again")
            try await Task.sleep(for: .milliseconds(300))
            let resent = hooklog.receiver.requests(on: "/hook").dropFirst(before)
            #expect(resent.count == 3 && Set(resent.compactMap { $0.header("webhook-id") }) == eventIds, "each once")
        }
    }

    /// `--run-id` asks the API with an earlier run's keys; with no server holding the data
    /// directory it is refused, not run offline without them (which could journal a part twice).
    @Test(.timeLimit(.minutes(1)))
    func testARunIdWithNoServerToAskIsRefused() async throws {
        let hooklog = try await APIHarness.start()
        await hooklog.stop(removingData: false)
        defer { try? FileManager.default.removeItem(atPath: hooklog.folder) }
        let window = Self.lastMinute()
        let refused = try await Self.hooklog(["resend", "--data-dir", hooklog.folder, "--run-id", "0f0e"] + window)
        #expect(refused.status == 1 && refused.output.contains("start it (hooklog serve) and run this again"), "\(refused.output)")
        let offline = try await Self.hooklog(["resend", "--data-dir", hooklog.folder] + window)
        #expect(offline.status == 0 && offline.output.contains("will be sent again when Hooklog next starts"), "without it, offline: \(offline.output)")
    }

    /// An admin's replay of many tenants lists each tenant's replay in its answer: one over
    /// 1 MiB (some 12,000 tenants) is read whole and printed, not taken for no answer at all.
    @Test(.timeLimit(.minutes(1)))
    func testAnAnswerListingThousandsOfTenantsIsReadWhole() async throws {
        let tenantCount = 12_000
        let replays = (0..<tenantCount).map { index in
            #"{"id":"rpl_\#(String(format: "%026d", index))","tenant_id":"ten_\#(String(format: "%026d", index))","matched":1}"#
        }
        let answer = #"{"replays":[\#(replays.joined(separator: ","))],"matched":\#(tenantCount),"skipped":{"unfinished":0,"endpoint_disabled":0}}"#
        #expect(answer.utf8.count > 1 << 20)
        let api = try await TestReceiver.start { _ in .status(202, body: answer) }
        let window = Self.lastMinute()
        let resend = try await Self.hooklog(["resend", "--data-dir", "/nonexistent/hooklog-data", "--url", api.baseURL, "--api-key", "hk_admin"] + window)
        await api.stop()
        #expect(resend.status == 0, "\(resend.output.suffix(500))")
        #expect(resend.output.contains("\(tenantCount) deliveries are being sent again now"), "\(resend.output.suffix(500))")
        #expect(resend.output.components(separatedBy: "deliveries scheduled").count == tenantCount + 1, "a line per tenant's replay")
    }

    /// A --url that cannot be asked at all (no scheme, TLS to a server speaking plain HTTP, a
    /// port nothing listens on) sent nothing: exit 1, to be fixed and run again, not 2 ("may
    /// have been journaled"), with a message that says why in words.
    @Test(.timeLimit(.minutes(1)))
    func testAURLThatCannotBeAskedSentNothingAndExitsOne() async throws {
        let closedPort = try await TestReceiver.start()
        let closedURL = closedPort.baseURL
        await closedPort.stop()
        try await withAPIHarness { hooklog in
            let window = Self.lastMinute()
            let plainAddress = hooklog.baseURL.replacingOccurrences(of: "http://", with: "")
            for (url, expected) in [
                (plainAddress, "is not a URL: give its scheme too, e.g. http://\(plainAddress)"),
                ("https://" + plainAddress, "cannot reach Hooklog at"),
                (closedURL, "cannot reach Hooklog at \(closedURL): connection refused"),
            ] {
                let resend = try await Self.hooklog(["resend", "--data-dir", "/nonexistent/hooklog-data", "--url", url, "--api-key", "hk_test"] + window)
                #expect(resend.status == 1, "\(url): \(resend.output)")
                #expect(resend.output.contains(expected), "\(url): \(resend.output)")
            }
        }
    }

    /// Something else answering 200 at --url is named as such, not as a Hooklog's refusal.
    @Test(.timeLimit(.minutes(1)))
    func testAServerThatIsNotHooklogIsNamedAsSuch() async throws {
        let other = try await TestReceiver.start { _ in .status(200, body: "<html></html>") }
        let resend = try await Self.hooklog(["resend", "--data-dir", "/nonexistent/hooklog-data", "--url", other.baseURL, "--api-key", "hk_test"] + Self.lastMinute())
        await other.stop()
        #expect(resend.status == 1 && resend.output.contains("answered 200 without a replay: is it a Hooklog's API?"), "\(resend.output)")
    }

    @Test(.timeLimit(.minutes(1)))
    func testResendWhileAServerRunsAsksItsAPIForTheReplay() async throws {
        try await Self.withThreeFailedDeliveries { hooklog, key, sinceAndUntil, eventIds in
            let before = hooklog.receiver.requests(on: "/hook").count
            let window = ["resend", "--data-dir", hooklog.folder] + sinceAndUntil

            // The server wrote where it listens into its lock file; without a key it cannot be asked.
            let refused = try await Self.hooklog(window)
            #expect(refused.status != 0)
            #expect(refused.output.contains("--api-key") && refused.output.contains(hooklog.baseURL), "\(refused.output)")

            // Given only the data directory and the admin key (as `hooklog serve` takes it), the
            // server holding the directory is found and asked.
            let admin = try await Self.hooklog(window, environment: ["HOOKLOG_ADMIN_KEY": APIHarness.adminKey])
            #expect(admin.status == 0, "\(admin.output)")
            #expect(admin.output.contains("replay rpl_"))
            #expect(admin.output.contains("3 deliveries are being sent again now") && !admin.output.contains("only the API key's tenant"))
            let resent = try await hooklog.receiver.waitForRequests(before + 3, on: "/hook").dropFirst(before)
            #expect(Set(resent.compactMap { $0.header("webhook-id") }) == eventIds)

            let bad = try await Self.hooklog(window, environment: ["HOOKLOG_API_KEY": "wrong"])
            #expect(bad.status != 0)
            #expect(bad.output.contains("401"))

            // The admin key of the configuration goes to the server holding the data directory,
            // which runs with that configuration, and never to a server named with --url.
            let configFile = hooklog.folder + "/resend-test.yaml"
            try Data("hooklog:\n  adminKey: \(APIHarness.adminKey)\n".utf8).write(to: URL(fileURLWithPath: configFile))
            let configured = try await Self.hooklog(window + ["--config", configFile])
            #expect(configured.status == 0 && configured.output.contains("deliveries are being sent again now"), "\(configured.output)")
            let elsewhere = try await Self.hooklog(
                window + ["--config", configFile, "--url", hooklog.baseURL], environment: ["HOOKLOG_ADMIN_KEY": APIHarness.adminKey]
            )
            #expect(elsewhere.status != 0 && elsewhere.output.contains("--url needs the admin or a tenant's key"), "\(elsewhere.output)")

            // With --url no data directory is read: from another machine there is none.
            var remote = window
            remote[2] = "/nonexistent/hooklog-data"
            let fromElsewhere = try await Self.hooklog(remote + ["--url", hooklog.baseURL, "--api-key", key])
            #expect(fromElsewhere.status == 0, "\(fromElsewhere.output)")
            #expect(fromElsewhere.output.contains("replay rpl_"))
            // A tenant's key answers for its tenant alone, which the command says when it was
            // not asked for one tenant (offline, the same command covers every tenant).
            #expect(fromElsewhere.output.contains("only the API key's tenant's deliveries: the key is a tenant's"), "\(fromElsewhere.output)")
        }
    }
}
