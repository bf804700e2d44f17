import AsyncHTTPClient
import Foundation
import HooklogAPI
import HooklogCore
import HooklogDelivery
import HooklogJournal
import NIOCore
import NIOHTTP1
import NIOPosix

extension ResendCommand {
    /// The longest answer read from the API, in bytes: an admin's replay of a part lists a
    /// replay per tenant (about 100 bytes each), and a part matches at most
    /// `replay.maxDeliveries` deliveries (50,000 by default), so as many tenants.
    static let maxAnswerBytes = 64 << 20

    /// The key given for an API: `--api-key`, else `HOOKLOG_API_KEY`. The only keys a server
    /// named with `--url` gets: never the admin key this machine's service is configured with.
    var givenKey: String? {
        [self.apiKey, ProcessInfo.processInfo.environment["HOOKLOG_API_KEY"]].lazy.compactMap { $0 }.first { !$0.isEmpty }
    }

    /// The key for the server holding this machine's data directory (at `url`): the one given,
    /// else the admin key of this command's configuration (`HOOKLOG_ADMIN_KEY`, or `--config`'s
    /// file, else `Config/hooklog.yaml`), which is meant to be the one that server runs with.
    func localServerKey(at url: String) async throws -> String {
        if let key = self.givenKey { return key }
        guard let adminKey = HooklogConfiguration.adminKey(from: try await self.data.configurationFile.reader()) else {
            throw CommandFailure("resending through the API at \(url) needs the admin or a tenant's key: give --api-key, or set HOOKLOG_API_KEY or HOOKLOG_ADMIN_KEY")
        }
        return adminKey
    }

    /// The tenant whose deliveries an offline resend covers, as the API would scope it: with no
    /// key, or the configured admin key, the one `--tenant` names or every tenant (`nil`); with a
    /// tenant's key, that tenant, whom `--tenant` may only repeat (`keyIsATenants`). Any other key
    /// is refused: a command that worked through the API must not, the server being down, widen
    /// to every tenant's deliveries.
    func offlineScope(named namedTenantId: TenantID?, in store: HooklogStore) async throws -> (tenantId: TenantID?, keyIsATenants: Bool) {
        let adminKey = HooklogConfiguration.adminKey(from: try await self.data.configurationFile.reader())
        guard let key = self.givenKey, key != adminKey else { return (namedTenantId, false) }
        guard let keyTenantId = try store.tenantId(authenticatedBy: SHA256Hasher.digest(Array(key.utf8))) else {
            let admin = adminKey == nil
                ? "no admin key is configured for this command to know the admin's by (set HOOKLOG_ADMIN_KEY as the server has it)"
                : "nor the configured admin key"
            throw CommandFailure("""
                the API key (--api-key or HOOKLOG_API_KEY) is not a tenant's in \(store.environment.path), and \(admin): \
                leave the key out (unset HOOKLOG_API_KEY) to re-send every tenant's deliveries, or give --tenant
                """)
        }
        if let namedTenantId, namedTenantId != keyTenantId {
            throw CommandFailure("--tenant \(namedTenantId) is not the API key's tenant (\(keyTenantId)), whose deliveries alone the key may re-send")
        }
        return (keyTenantId, namedTenantId == nil)
    }

    /// Asks the running Hooklog at `baseURL` for the replay (`POST /v1/replays`), in parts if it
    /// says the window is too large for one, and prints each replay's id and what it matched.
    ///
    /// Each part carries an `Idempotency-Key` of its own (this run's, and the part's window): a
    /// part whose answer does not come is asked for once more with the same key, which gets the
    /// first answer if the first request was journaled after all, and journals it if not.
    func resendThroughAPI(baseURL: String, key: String) async throws {
        guard baseURL.hasPrefix("http://") || baseURL.hasPrefix("https://") else {
            throw CommandFailure("--url \(baseURL) is not a URL: give its scheme too, e.g. http://\(baseURL)")
        }
        let trimmed = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        let run = self.runId ?? UUID().uuidString.lowercased()
        let client = Self.makeAPIClient()
        do {
            try await Self.resendInParts(try self.criteria, sending: "are being sent again now", runId: run) { part in
                let partKey = "hooklog-resend-\(run)-\(part.sinceMs)-\(part.untilMs)"
                do {
                    return try await self.requestReplay(of: part, from: trimmed, key: key, idempotencyKey: partKey, with: client)
                } catch let unanswered as ReplayInParts.Unanswered {
                    // Whatever the second ask meets but a 202, the first may have been journaled.
                    try await Task.sleep(for: .seconds(1))
                    let again: ReplayInParts.Answer<ResendAnswer>
                    do {
                        again = try await self.requestReplay(of: part, from: trimmed, key: key, idempotencyKey: partKey, with: client)
                    } catch {
                        throw ReplayInParts.Unanswered("\(unanswered); asked again: \(error)")
                    }
                    guard case .taken(var answer) = again else { throw ReplayInParts.Unanswered("\(unanswered); asked again: too large for one replay") }
                    // Repeated or not, it answers this run's own first ask.
                    answer.repeatedCount = 0
                    return .taken(answer)
                }
            }
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    /// How long connecting to the API (and its TLS handshake) may take.
    static let connectTimeoutSeconds: Int64 = 10

    /// The client asking the API: a connection that cannot be made (a server that does not
    /// answer, TLS to a server speaking plain HTTP) fails the request once `connectTimeoutSeconds`
    /// have passed, not only at the end of the answer's long deadline, as connections tried again
    /// until then would.
    private static func makeAPIClient() -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(Self.connectTimeoutSeconds))
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// One `POST /v1/replays` of `part`'s window.
    private func requestReplay(
        of part: ReplayCriteria,
        from baseURL: String,
        key: String,
        idempotencyKey: String,
        with client: HTTPClient
    ) async throws -> ReplayInParts.Answer<ResendAnswer> {
        var body: [String: Any] = [
            "since": Self.rfc3339(part.sinceMs),
            "until": Self.rfc3339(part.untilMs),
            "status": part.statusFilter.name,
        ]
        if let endpoint = self.endpoint { body["endpoint_id"] = endpoint }
        if let tenant = self.tenant { body["tenant_id"] = tenant }
        if !self.eventTypes.isEmpty { body["event_types"] = self.eventTypes }
        var request = HTTPClientRequest(url: baseURL + "/v1/replays")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Idempotency-Key", value: idempotencyKey)
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
        var (status, answer, isRepeat) = try await Self.exchange(request, with: baseURL, through: client)
        // The caller's line of replay searches is full (others replaying with the same key):
        // nothing was done, and the same request is asked again a moment later.
        var busyWaitSeconds = 0
        while status == .tooManyRequests, busyWaitSeconds < Self.maxBusyWaitSeconds {
            try await Task.sleep(for: .seconds(1))
            busyWaitSeconds += 1
            (status, answer, isRepeat) = try await Self.exchange(request, with: baseURL, through: client)
        }
        let error = answer["error"] as? [String: Any]
        let message = error?["message"] as? String ?? "no error message"
        if status.code == 422, error?["code"] as? String == "replay_too_large" {
            let splitAtMs = (error?["split_at"] as? String).flatMap(TimeFormat.instantMs(rfc3339:))
            return .tooLarge(reason: message, splitAtMs: splitAtMs.flatMap { UInt64(exactly: $0) })
        }
        // A 5xx (Hooklog's own, or a proxy's in front of it) does not say whether the part was journaled.
        if status.code >= 500 { throw ReplayInParts.Unanswered("Hooklog at \(baseURL) answered \(status.code): \(message)") }
        guard status == .accepted else {
            // A 2xx without an error or a replay: something else answers at that address.
            if error == nil && (200..<300).contains(status.code) {
                throw CommandFailure("\(baseURL) answered \(status.code) without a replay: is it a Hooklog's API?")
            }
            throw CommandFailure("Hooklog at \(baseURL) refused the replay (\(status.code)): \(message)")
        }
        let skipped = answer["skipped"] as? [String: Any]
        var replays: [(id: String, tenantId: String?, matched: Int)] = []
        if let listed = answer["replays"] as? [[String: Any]] {
            replays = listed.map { ($0["id"] as? String ?? "?", $0["tenant_id"] as? String, $0["matched"] as? Int ?? 0) }
        } else if let id = answer["id"] as? String {
            replays = [(id, self.tenant, answer["matched"] as? Int ?? 0)]
        }
        let matched = answer["matched"] as? Int ?? 0
        return .taken(ResendAnswer(
            replays: replays,
            matched: matched,
            repeatedCount: isRepeat ? matched : 0,
            unfinishedCount: skipped?["unfinished"] as? Int ?? 0,
            endpointDisabledCount: skipped?["endpoint_disabled"] as? Int ?? 0,
            // The admin's answer lists its replays by tenant; a tenant's does not.
            coversOnlyTheKeysTenant: self.tenant == nil && answer["replays"] == nil
        ))
    }

    /// How long a part waits, asking again each second, while the caller's line of replay
    /// searches is full (429).
    static let maxBusyWaitSeconds = 600

    /// Sends `request` and reads its status, its JSON answer and whether that answer repeats
    /// one given before to its Idempotency-Key.
    private static func exchange(_ request: HTTPClientRequest, with baseURL: String, through client: HTTPClient) async throws -> (HTTPResponseStatus, [String: Any], isRepeat: Bool) {
        do {
            // Long enough for a replay's turn in the server's line of searches as well as the search.
            let response = try await client.execute(request, timeout: .seconds(300))
            let bytes = try await response.body.collect(upTo: Self.maxAnswerBytes)
            let json = (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))) as? [String: Any] ?? [:]
            return (response.status, json, response.headers.first(name: "Idempotent-Replayed") == "true")
        } catch {
            // Refused before anything was sent, the part was not asked for; cut off later, it may have been.
            if WebhookHTTPClient.isRefusedBeforeSending(error) { throw CommandFailure("cannot reach Hooklog at \(baseURL): \(Self.reason(error))") }
            throw ReplayInParts.Unanswered("Hooklog at \(baseURL): \(error)")
        }
    }

    /// Why a connection failed, in words: the system's for an errno (`Connection refused`), not
    /// NIO's description of its own error types.
    private static func reason(_ error: any Error) -> String {
        let cause = (error as? NIOConnectionError)?.connectionErrors.first?.error ?? error
        if let error = cause as? IOError { return String(cString: strerror(error.errnoCode)).lowercased() }
        return "\(cause)"
    }

    /// What the window held but was not re-sent, in words.
    static func skippedLine(unfinished: Int, endpointDisabled: Int) -> String {
        "skipped: \(unfinished) still waiting or in flight (they go out on their own schedule), "
            + "\(endpointDisabled) to disabled or deleted endpoints"
    }

    /// `ms` as an RFC 3339 time with milliseconds, which the API reads back to the same `ms`.
    static func rfc3339(_ ms: UInt64) -> String {
        TimeFormat.rfc3339(instantMs: Int64(clamping: ms), millis: true) ?? "\(ms)"
    }
}
