import Foundation
import HooklogCore
import HooklogJournal
import HooklogTestSupport
import NIOHTTP1
import Testing

@Suite("GET /v1/export streams the raw receipt log with its manifest")
struct ExportRoutesTests {
    /// The lines of a JSON lines export, parsed.
    static func jsonLines(_ body: [UInt8]) -> [[String: Any]] {
        String(decoding: body, as: UTF8.self).split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func testExportRoundTripsRawBodiesAndEndsWithTheJournalsHead() async throws {
        let harness = try await APIHarness.start()
        var manifests: [[String: Any]] = []
        do {
            let key = try await harness.createTenant("Owner")
            let otherKey = try await harness.createTenant("Other")
            let endpoint = try await harness.createEndpoint(key: key, path: "/hook")
            var bodies: [String] = []
            for index in 0..<30 {
                let body = #"{"type":"call.completed","data":{"n":\#(index),"text":"caf\u00e9 \"quoted\" \#(index)","nested":[1, 2.50 ,{"a":null}]}}"#
                let answer = try await harness.request(.POST, "/v1/events", key: key, body: body)
                #expect(answer.status == 202)
                bodies.append(body)
            }
            let otherBody = #"{"type":"call.completed","data":{"other":true}}"#
            _ = try await harness.request(.POST, "/v1/events", key: otherKey, body: otherBody)
            _ = try await harness.waitFor("/v1/deliveries?status=succeeded", key: key) { $0.items.count == 30 }

            let jsonl = try await harness.request(.GET, "/v1/export?format=jsonl", key: key)
            #expect(jsonl.status == 200)
            #expect(jsonl.headers["content-type"]?.hasPrefix("application/x-ndjson") == true)
            let lines = Self.jsonLines(jsonl.body)
            let raw = lines.compactMap { $0["raw_body"] as? String }
            #expect(raw == bodies)
            let text = jsonl.text
            #expect(!text.contains(endpoint.secret))
            #expect(!text.contains(key))
            #expect(!text.contains("\"other\":true"))
            let manifest = try #require(lines.last)
            #expect(manifest["kind"] as? String == "manifest")
            #expect(manifest["count"] as? Int == lines.count - 1)
            manifests.append(manifest)

            let csv = try await harness.request(.GET, "/v1/export?format=csv", key: key)
            #expect(csv.status == 200)
            #expect(csv.headers["content-type"]?.hasPrefix("text/csv") == true)
            let csvText = csv.text
            let decoded = csvText.split(separator: "\n").compactMap { line -> String? in
                // raw_body_base64 is the second-to-last column; it holds no commas or quotes.
                let columns = line.split(separator: ",", omittingEmptySubsequences: false)
                guard columns.count >= 3, let data = Data(base64Encoded: String(columns[columns.count - 2])), !data.isEmpty else { return nil }
                return String(decoding: data, as: UTF8.self)
            }
            #expect(decoded == bodies)
            #expect(!csvText.contains(endpoint.secret))
            #expect(!csvText.contains(key))
            #expect(csvText.hasPrefix("sequence,appended_at,kind,tenant_id,record,raw_body_base64,chain_hash\n"))

            let admin = try await harness.request(.GET, "/v1/export", key: APIHarness.adminKey)
            #expect(admin.status == 200)
            let adminLines = Self.jsonLines(admin.body)
            #expect(adminLines.compactMap { $0["raw_body"] as? String } == bodies + [otherBody])
            #expect(!admin.text.contains(otherKey))
            manifests.append(try #require(adminLines.last))

            // The admin may export one tenant's records; a tenant key names only its own.
            let ownerId = try #require(lines.first?["tenant_id"] as? String)
            #expect(lines.dropLast().allSatisfy { $0["tenant_id"] as? String == ownerId }, "attempts and outcomes name their tenant too")
            let adminForOwner = try await harness.request(.GET, "/v1/export?tenant_id=\(ownerId)", key: APIHarness.adminKey)
            #expect(adminForOwner.status == 200)
            #expect(Self.jsonLines(adminForOwner.body).compactMap { $0["raw_body"] as? String } == bodies)
            #expect(try await harness.request(.GET, "/v1/export?tenant_id=\(ownerId)", key: otherKey).status == 404)
            #expect(try await harness.request(.GET, "/v1/export?tenant_id=\(ownerId)", key: key).status == 200)
            #expect(try await harness.request(.GET, "/v1/export?tenant_id=ten_00000000000000000000000000", key: APIHarness.adminKey).status == 404)
            #expect(try await harness.request(.GET, "/v1/export?tenant_id=nobody", key: APIHarness.adminKey).status == 400)

            #expect(try await harness.request(.GET, "/v1/export?format=xml", key: key).status == 400)
            #expect(try await harness.request(.GET, "/v1/export?since=soon", key: key).status == 400)
            #expect(try await harness.request(.GET, "/v1/export").status == 401)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop(removingData: false)
        defer { try? FileManager.default.removeItem(atPath: harness.folder) }
        let environment = try LMDBEnvironment(.init(path: harness.folder), databaseNames: HooklogStore.databaseNames)
        let head = try LogReader(environment: environment).head()
        let hex = head.chainHash.hex
        for manifest in manifests {
            #expect(manifest["chain_head"] as? String == hex)
            #expect(manifest["head_sequence"] as? Int == Int(head.sequence))
        }
    }

    /// A key has one export at a time (429 `too_many_exports`, refused at once), others' keys
    /// theirs; the place comes back when the export ends, here when its client goes away
    /// without reading it.
    @Test(.timeLimit(.minutes(1)))
    func aKeyHasOneExportAtATime() async throws {
        try await withAPIHarness { hooklog in
            let key = try await hooklog.createTenant()
            let otherKey = try await hooklog.createTenant()
            // More than the sockets' buffers hold: an export nobody reads stalls, still running.
            let blob = String(repeating: "x", count: 900_000)
            for _ in 0..<24 { #expect(try await hooklog.postEvent(key: key, data: #"{"blob":"\#(blob)"}"#).status == 202) }
            let port = URL(string: hooklog.baseURL)?.port ?? 0
            // Closed whatever happens: a stalled export would hold the harness's stop.
            var sockets: [Int32] = []
            defer { sockets.forEach { close($0) } }
            // An export whose answer has begun (its place taken), and is then read no further.
            func stalledExport(by caller: String) throws -> Int32 {
                let socket = try ConnectionTimeoutTests.connect(port: port)
                sockets.append(socket)
                ConnectionTimeoutTests.send(socket, "GET /v1/export HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(caller)\r\n\r\n")
                var head = [UInt8](repeating: 0, count: 64)
                let count = recv(socket, &head, head.count, 0)
                try #require(String(decoding: head.prefix(max(count, 0)), as: UTF8.self).hasPrefix("HTTP/1.1 200"))
                return socket
            }
            let tenantsExport = try stalledExport(by: key)
            let sameKey = try await hooklog.request(.GET, "/v1/export", key: key)
            #expect(sameKey.status == 429 && sameKey.errorCode == "too_many_exports", "\(sameKey.text)")
            _ = try stalledExport(by: APIHarness.adminKey)
            let since = ReplayRoutesTests.rfc3339(ReplayRoutesTests.nowMs())
            let others = try await hooklog.request(.GET, "/v1/export?since=\(since)", key: otherKey)
            #expect(others.status == 200, "another key's export is not held up: \(others.text)")

            close(tenantsExport)
            sockets.removeAll { $0 == tenantsExport }
            let again = try await hooklog.waitFor("/v1/export?since=\(since)", key: key) { $0.status == 200 }
            #expect(again.status == 200, "the place came back: \(again.text)")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func testSinceAndUntilKeepTheRecordsReceivedInTheWindow() async throws {
        try await withAPIHarness { hooklog in
            let key = try await hooklog.createTenant()
            var bodies: [String] = []
            for index in 0..<6 {
                if index == 3 { try await Task.sleep(for: .milliseconds(5)) }
                let body = #"{"type":"call.completed","data":{"n":\#(index)}}"#
                _ = try await hooklog.request(.POST, "/v1/events", key: key, body: body)
                bodies.append(body)
                if index == 2 { try await Task.sleep(for: .milliseconds(5)) }
            }
            let events = try await hooklog.request(.GET, "/v1/events?limit=100", key: key).items
            let times = events.compactMap { $0["received_at"] as? String ?? $0["created_at"] as? String }
            #expect(times.count == 6)
            let middle = try #require(times.sorted().dropFirst(3).first)
            let later = try await hooklog.request(.GET, "/v1/export?since=\(middle)", key: key)
            #expect(Self.jsonLines(later.body).compactMap { $0["raw_body"] as? String } == Array(bodies.suffix(3)))
            let earlier = try await hooklog.request(.GET, "/v1/export?until=\(middle)&format=jsonl", key: key)
            #expect(Self.jsonLines(earlier.body).compactMap { $0["raw_body"] as? String } == Array(bodies.prefix(3)))
            #expect(try await hooklog.request(.GET, "/v1/export?since=\(middle)&until=\(middle)", key: key).status == 400)
        }
    }
}
