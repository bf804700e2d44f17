import AsyncHTTPClient
import Foundation
import HooklogTestSupport
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

@Suite("hooklog serve as a process")
struct ServeProcessTests {
    @Test(.timeLimit(.minutes(1)))
    func testSIGTERMWhileDeliveringLosesNothingAcknowledged() async throws {
        try await withServeFolder { hooklog, folder in
            // Slow answers keep attempts in flight when the signal comes; every third first try fails.
            let receiver = try await TestReceiver.start { request in
                .delayed(milliseconds: 30, request.countOnPath % 3 == 1 ? .status(500) : .status(200))
            }

            let first = try await ServeProcess.start(hooklog, dataDirectory: folder)
            let key = try await first.createTenant()
            _ = try await first.post("/v1/endpoints", key: key, body: #"{"url":"\#(receiver.baseURL)/hook"}"#)

            let acknowledged = Acknowledged()
            let posters = (0..<4).map { _ in
                Task {
                    for _ in 0..<400 {
                        // A short deadline: once the server is gone, the client retries connecting until it.
                        guard let answer = try? await first.post("/v1/events", key: key, body: #"{"type":"call.completed","data":{"n":1}}"#, timeout: .seconds(1)),
                            answer.status == 202
                        else {
                            // Before the signal a refusal is only a slow moment (a cold binary, a busy machine).
                            if acknowledged.isSignalled.withLock({ $0 }) { return } else { continue }
                        }
                        if let id = answer.json["id"] as? String { acknowledged.ids.withLock { $0.append(id) } }
                    }
                }
            }
            // The signal comes once events are flowing, whatever the machine's speed.
            let flowingBy = ContinuousClock.now.advanced(by: .seconds(20))
            while acknowledged.ids.withLock({ $0.count }) < 50 && ContinuousClock.now < flowingBy {
                try await Task.sleep(for: .milliseconds(10))
            }
            acknowledged.isSignalled.withLock { $0 = true }
            first.terminate()
            for poster in posters { await poster.value }
            #expect(try await first.waitForExit() == 0)
            let ids = acknowledged.ids.withLock { $0 }
            #expect(ids.count >= 50)

            let second = try await ServeProcess.start(hooklog, dataDirectory: folder)
            let deadline = ContinuousClock.now.advanced(by: .seconds(20))
            var missing = Set(ids)
            while !missing.isEmpty && ContinuousClock.now < deadline {
                let delivered = Set(receiver.requests(on: "/hook").compactMap { $0.header("webhook-id") })
                missing.subtract(delivered)
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(missing.isEmpty, "\(missing.count) of \(ids.count) acknowledged events were never delivered")
            second.terminate()
            #expect(try await second.waitForExit() == 0)
            await receiver.stop()
        }
    }
}

extension ServeProcessTests {
    /// A stop waits for the attempts in flight, up to their timeout; a second signal cuts it
    /// short, and the attempt cut off goes out again after the next start.
    @Test(.timeLimit(.minutes(1)))
    func testASecondSignalCutsAStopShort() async throws {
        try await withServeFolder { hooklog, folder in
            let receiver = try await TestReceiver.start { request in request.countOnPath == 1 ? .hang : .status(200) }
            let first = try await ServeProcess.start(hooklog, dataDirectory: folder, environment: ["HOOKLOG_REQUEST_TIMEOUT": "40s"])
            let key = try await first.createTenant()
            _ = try await first.post("/v1/endpoints", key: key, body: #"{"url":"\#(receiver.baseURL)/hook"}"#)
            _ = try await first.post("/v1/events", key: key, body: #"{"type":"call.completed","data":{}}"#)
            _ = try await receiver.waitForRequests(1, on: "/hook")
            let stoppingAt = ContinuousClock.now
            first.terminate()
            try await Task.sleep(for: .milliseconds(500))
            kill(first.process.processIdentifier, SIGINT)
            // An exit, not a death by signal (nor the trap that ends a cancelled stop past 10 s).
            let status = try await first.waitForExit()
            let stopTook = stoppingAt.duration(to: .now)
            #expect(stopTook < .seconds(5), "the stop took \(stopTook): the second signal did not cut it short")
            #expect(status == 0, "exit status \(status)")

            let second = try await ServeProcess.start(hooklog, dataDirectory: folder)
            #expect(try await receiver.waitForRequests(2, on: "/hook").count == 2, "the attempt cut off goes out again")
            second.terminate()
            #expect(try await second.waitForExit() == 0)
            await receiver.stop()
        }
    }

    /// The binary alone, copied away from its build folder (as into a container), runs and
    /// serves its OpenAPI document: nothing it needs lies beside it.
    @Test(.timeLimit(.minutes(1)))
    func testACopiedBinaryServesItsOpenAPIDocument() async throws {
        try await withServeFolder { hooklog, folder in
            let copy = folder + "/bin/hooklog"
            try FileManager.default.createDirectory(atPath: folder + "/bin", withIntermediateDirectories: false)
            try FileManager.default.copyItem(atPath: hooklog, toPath: copy)
            let serving = try await ServeProcess.start(copy, dataDirectory: folder)
            var request = HTTPClientRequest(url: serving.baseURL + "/openapi.yaml")
            request.headers.add(name: "Authorization", value: "Bearer \(ServeProcess.adminKey)")
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            let body = String(buffer: try await response.body.collect(upTo: 1 << 20))
            #expect(response.status == .ok && body.hasPrefix("openapi: 3.1"), "\(response.status): \(body.prefix(100))")
            serving.terminate()
            #expect(try await serving.waitForExit() == 0)
        }
    }

    /// A configuration folder that is not there (a binary run away from its repository) is
    /// named, with the setting that names it, not told as a bare file error.
    @Test(.timeLimit(.minutes(1)))
    func testAMissingConfigurationFolderIsNamedWithItsSetting() async throws {
        try await withServeFolder { hooklog, folder in
            let aFile = folder + "/hooklog.yaml"
            try Data("hooklog:\n".utf8).write(to: URL(fileURLWithPath: aFile))
            for configFolder in [folder + "/no-config", aFile] {
                let failure = await #expect(throws: ServeProcess.ProcessFailure.self) {
                    _ = try await ServeProcess.start(hooklog, dataDirectory: folder, environment: ["HOOKLOG_CONFIG_DIR": configFolder])
                }
                let said = failure?.description ?? ""
                #expect(said.contains("configuration folder \(configFolder) (configDir, HOOKLOG_CONFIG_DIR)") && !said.contains("NSCocoaErrorDomain"), "\(said)")
            }
        }
    }

    /// A disk that fills (here a file size limit) refuses the writes that do not fit with a 503
    /// `storage_unavailable` that says to try again, counts each failed commit, and loses
    /// nothing acknowledged; once there is room again, writes land without a restart.
    @Test(.timeLimit(.minutes(1)))
    func testAFullDiskRefusesWritesWithA503AndRecoversWhenFreed() async throws {
        try await withServeFolder { hooklog, folder in
            let serving = try await ServeProcess.start(
                hooklog, dataDirectory: folder, environment: ["HOOKLOG_PREALLOCATE_MIB": "0"], fileSizeLimitBytes: 3 << 20
            )
            let key = try await serving.createTenant()
            let data = #"{"type":"call.completed","data":{"blob":""# + String(repeating: "x", count: 200_000) + #""}}"#
            var acknowledged = 0
            var refusal: (status: Int, json: [String: Any])?
            for _ in 0..<40 {
                let answer = try await serving.post("/v1/events", key: key, body: data)
                guard answer.status == 202 else {
                    refusal = answer
                    break
                }
                acknowledged += 1
            }
            let refused = try #require(refusal, "the file size limit was never reached")
            let error = refused.json["error"] as? [String: Any]
            #expect(refused.status == 503 && error?["code"] as? String == "storage_unavailable", "\(refused)")
            #expect((error?["message"] as? String)?.contains("nothing of this request was kept") == true)
            let metrics = try await serving.get("/metrics", key: ServeProcess.adminKey)
            let failures = metrics.body.firstMatch(of: /hooklog_journal_commit_failures_total ([0-9]+)/).flatMap { Int($0.1) }
            #expect((failures ?? 0) >= 1, "\(metrics.body.prefix(2_000))")

            // Room again: the next write lands, and every acknowledged event is there.
            let lifted = try await ChildProcess.run("/usr/bin/prlimit", ["--pid", "\(serving.process.processIdentifier)", "--fsize=unlimited:unlimited"])
            try #require(lifted.status == 0, "\(lifted.output)")
            #expect(try await serving.post("/v1/events", key: key, body: data).status == 202)
            let listed = try await serving.get("/v1/events?limit=100", key: key)
            let items = (try JSONSerialization.jsonObject(with: Data(listed.body.utf8)) as? [String: Any])?["data"] as? [Any]
            #expect(items?.count == acknowledged + 1, "acknowledged \(acknowledged), then one more")
            serving.terminate()
            #expect(try await serving.waitForExit() == 0)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func testASecondServeOnTheSameDataDirectoryRefusesToStart() async throws {
        try await withServeFolder { hooklog, folder in
            let running = try await ServeProcess.start(hooklog, dataDirectory: folder)
            let failure = await #expect(throws: ServeProcess.ProcessFailure.self) {
                _ = try await ServeProcess.start(hooklog, dataDirectory: folder)
            }
            #expect(failure?.description.contains("in use by a running Hooklog") == true)
            running.terminate()
            #expect(try await running.waitForExit() == 0)
        }
    }
}

/// The ids of events answered 202, and whether the server was told to stop.
final class Acknowledged: Sendable {
    let ids = Mutex<[String]>([])
    let isSignalled = Mutex(false)
}

/// A `hooklog serve` child process on a free loopback port.
final class ServeProcess: Sendable {
    static let adminKey = "serve-test-admin"

    let process: Process
    let baseURL: String

    private init(process: Process, baseURL: String) {
        self.process = process
        self.baseURL = baseURL
    }

    /// Starts the executable on `dataDirectory` and waits for its ready line; with
    /// `fileSizeLimitBytes`, no file it writes may grow past that (a disk that is full), a write
    /// past it failing rather than killing it (SIGXFSZ ignored); the limit is a soft one, which
    /// `prlimit --pid` may lift.
    static func start(
        _ executable: String,
        dataDirectory: String,
        environment overrides: [String: String] = [:],
        fileSizeLimitBytes: Int? = nil
    ) async throws -> ServeProcess {
        let process = Process()
        if let fileSizeLimitBytes {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "trap '' XFSZ; exec /usr/bin/prlimit --fsize=\(fileSizeLimitBytes):unlimited -- \"$0\" serve", executable]
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["serve"]
        }
        process.currentDirectoryURL = URL(fileURLWithPath: dataDirectory)
        var environment = ProcessInfo.processInfo.environment
        environment["HOOKLOG_DATA_DIR"] = dataDirectory + "/data"
        environment["HOOKLOG_LISTEN"] = "127.0.0.1:0"
        environment["HOOKLOG_ADMIN_KEY"] = Self.adminKey
        environment["HOOKLOG_ALLOW_PRIVATE_URLS"] = "1"
        environment["HOOKLOG_RETRY_SCHEDULE"] = "10ms,20ms,40ms,80ms,160ms,320ms"
        environment["HOOKLOG_REQUEST_TIMEOUT"] = "2s"
        environment["HOOKLOG_CONFIG_DIR"] = APIHarness.configFolder
        environment["HOOKLOG_LOG_LEVEL"] = "warning"
        environment["HOOKLOG_PREALLOCATE_MIB"] = "8"
        environment.merge(overrides) { _, override in override }
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // A read of its output blocks: a serve that neither prints nor exits is killed, so that
        // the read ends and the test fails rather than hang the run.
        let watchdog = DispatchWorkItem { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(30), execute: watchdog)
        defer { watchdog.cancel() }
        let reader = output.fileHandleForReading
        let line: String
        do {
            line = try await Self.offCooperativePool { try Self.readLine(reader, timeoutSeconds: 20) }
        } catch {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw ProcessFailure(description: "hooklog serve exited (\(process.terminationStatus)) without a ready line: \(stderr)")
        }
        // Keep reading its logs so that a full pipe never blocks it.
        let errorReader = errors.fileHandleForReading
        Thread.detachNewThread { _ = errorReader.readDataToEndOfFile() }
        // "hooklog ready on 127.0.0.1:PORT (data …)"
        guard line.hasPrefix("hooklog ready on "), let address = line.split(separator: " ").dropFirst(3).first else {
            process.terminate()
            throw ProcessFailure(description: "unexpected first line: \(line)")
        }
        return ServeProcess(process: process, baseURL: "http://\(address)")
    }

    /// Sends SIGTERM.
    func terminate() {
        kill(self.process.processIdentifier, SIGTERM)
    }

    /// Waits for the exit and returns its status (a signal death throws).
    func waitForExit() async throws -> Int32 {
        let process = self.process
        try await Self.offCooperativePool { process.waitUntilExit() }
        guard self.process.terminationReason == .exit else {
            throw ProcessFailure(description: "hooklog died of signal \(self.process.terminationStatus)")
        }
        return self.process.terminationStatus
    }

    /// A tenant's API key, made with the admin key.
    func createTenant() async throws -> String {
        let answer = try await self.post("/v1/tenants", key: Self.adminKey, body: #"{"name":"Serve test"}"#)
        guard let key = answer.json["api_key"] as? String else { throw ProcessFailure(description: "no tenant: \(answer.status)") }
        return key
    }

    /// GETs `path`: its status, `Retry-After` and body.
    func get(_ path: String, key: String) async throws -> (status: Int, retryAfter: String?, body: String) {
        var request = HTTPClientRequest(url: self.baseURL + path)
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = String(buffer: try await response.body.collect(upTo: 4 << 20))
        return (Int(response.status.code), response.headers.first(name: "Retry-After"), body)
    }

    /// POSTs JSON.
    func post(_ path: String, key: String, body: String, timeout: TimeAmount = .seconds(10)) async throws -> (status: Int, json: [String: Any]) {
        var request = HTTPClientRequest(url: self.baseURL + path)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: timeout)
        let bytes = try await response.body.collect(upTo: 1 << 20)
        let json = (try? JSONSerialization.jsonObject(with: Data(Array(buffer: bytes)))) as? [String: Any] ?? [:]
        return (Int(response.status.code), json)
    }

    /// Runs blocking `work` on a thread of its own, not on one of the few cooperative threads.
    private static func offCooperativePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
        }
    }

    private static func readLine(_ handle: FileHandle, timeoutSeconds: Double) throws -> String {
        var bytes: [UInt8] = []
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while Date() < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            bytes += chunk
            if let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) {
                return String(decoding: bytes[..<newline], as: UTF8.self)
            }
        }
        throw ProcessFailure(description: "hooklog serve printed no ready line: \(String(decoding: bytes, as: UTF8.self))")
    }

    struct ProcessFailure: Error, CustomStringConvertible {
        let description: String
    }
}

/// The built `hooklog`, and a new folder to run it in, removed afterwards.
private func withServeFolder(_ body: (_ hooklog: String, _ folder: String) async throws -> Void) async throws {
    let hooklog = try BuiltProducts.executable("hooklog")
    let folder = NSTemporaryDirectory() + "hooklog-serve-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try await body(hooklog, folder)
}
