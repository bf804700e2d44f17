import ArgumentParser
import Foundation
import HooklogAPI
import HooklogCore
import HooklogJournal
import Logging

/// `hooklog resend`: re-sends a window of deliveries: through the API of the server holding the
/// data directory (or of the one `--url` names), else by journaling replays that the next start
/// of Hooklog sends.
struct ResendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resend",
        abstract: "Re-send the deliveries planned in a window that failed, or every finished one (through the running server, or at the next start).",
        discussion: """
            Each matching delivery goes out again with its event's id, its attempts marked with the \
            replay, and is retried on the retry schedule if it fails again. Deliveries still waiting, \
            and deliveries to disabled or deleted endpoints, are not re-sent. While a server holds the \
            data directory, the replay is asked of its API (POST /v1/replays), where its lock file says \
            it listens, and goes out at once; when none does, it is journaled and goes out at the next \
            start. --url names another server. A window holding more than one replay may re-send is \
            asked for in parts, oldest first, each journaled as a request of its own.

            Exit status: 0 when the whole window was replayed; 1 when a part failed (the parts before it \
            were replayed, and it says where to go on); 2 when no answer came for a part, asked twice \
            through the API with one Idempotency-Key: it may or may not have been journaled, and it says \
            how to ask for it again with that key (--run-id, through the API only), which is safe.
            """
    )

    @OptionGroup var data: DataDirectoryOptions

    func validate() throws {
        if self.failed && self.status.filter != .failed {
            throw ValidationError("--failed and --status \(self.status.filter.name) ask for different deliveries: give one of them")
        }
    }

    @Option(help: "The window's start by planning time, inclusive (RFC 3339, or milliseconds since 1970: 13 digits, not seconds).")
    var since: TimeArgument

    @Option(help: "The window's end, exclusive (RFC 3339, or milliseconds since 1970: 13 digits, not seconds).")
    var until: TimeArgument

    @Option(help: "Only deliveries to this endpoint (ep_…).")
    var endpoint: String?

    @Option(help: "Which finished deliveries: failed (with those cancelled when Hooklog disabled their endpoint), or all, as the API's status.")
    var status: ReplayStatusOption = .byDefault

    /// The design's spelling of `--status failed`, which scripts written from it use.
    @Flag(help: "Only the failed ones: the same as --status failed.")
    var failed = false

    @Option(help: "Only this tenant's deliveries (ten_…); when not given, every tenant's (with a tenant's key, through the API or offline, that tenant's).")
    var tenant: String?

    @Option(name: .customLong("event-type"), help: "Only events of this type (repeat for several).")
    var eventTypes: [String] = []

    @Option(help: "A running Hooklog's base URL (e.g. http://127.0.0.1:8080): resend through its API; no data directory is read.")
    var url: String?

    @Option(
        name: .customLong("run-id"),
        help: "Through the API: ask with the Idempotency-Keys of the earlier run that printed this id (it ended with exit status 2), with the --since and --until it printed: a part it may have asked for is not re-sent twice. Refused when no server holds the data directory: start it first."
    )
    var runId: String?

    @Option(name: .customLong("api-key"), help: "The admin or tenant key for the API (default: HOOKLOG_API_KEY; for the server holding the data directory, then the configured admin key, HOOKLOG_ADMIN_KEY). Offline, a tenant's key limits the resend to that tenant, as the API does.")
    var apiKey: String?

    func run() async throws {
        // A server named is asked, wherever it runs: a data directory here, perhaps a stale copy,
        // is not what the operator meant.
        if let url = self.url {
            guard let key = self.givenKey else {
                throw CommandFailure("--url needs the admin or a tenant's key for that server: give --api-key, or set HOOKLOG_API_KEY")
            }
            try await self.resendThroughAPI(baseURL: url, key: key)
            return
        }
        let path = try await self.data.existingPath()
        if let holder = DataDirectoryLock.holder(of: path) {
            // The server holding the directory wrote where it listens into its lock file.
            guard let url = holder.listeningURL else {
                throw CommandFailure("""
                    \(path) is in use, by a Hooklog that has not said where its API listens (still starting, or \
                    another tool): try again once it is ready, or give --url and --api-key
                    """)
            }
            try await self.resendThroughAPI(baseURL: url, key: try await self.localServerKey(at: url))
            return
        }
        // The keys of an earlier run are the API's to look up: offline they would not be asked
        // for, and a part that run journaled would be journaled again.
        if let runId = self.runId {
            throw CommandFailure("""
                --run-id \(runId) asks through the API with that run's Idempotency-Keys, and no Hooklog holds \(path): \
                start it (hooklog serve) and run this again
                """)
        }
        let criteria = try self.criteria
        let lock = try DataDirectoryOptions.lockForOfflineWork(path, doing: "resend from")
        defer { withExtendedLifetime(lock) {} }
        let namedTenantId = try self.tenant.map { try Self.parse($0, as: TenantID.self, option: "--tenant") }
        let configuration = try await self.data.configurationFile.reader()
        let limits = ReplayLimits(maxMatchedCount: try HooklogConfiguration.replayMaxDeliveries(from: configuration))
        // As the API checks them, where this machine's catalog can be read (a type mistyped
        // would match nothing, unseen); from a folder without one, they go unchecked, said so.
        if !self.eventTypes.isEmpty {
            switch Result(catching: { try HooklogConfiguration.eventTypes(from: configuration) }) {
            case .success(let catalog):
                if let unknown = self.eventTypes.first(where: { !catalog.contains($0) }) {
                    throw CommandFailure("--event-type \(unknown) is not a known event type (\(catalog.entries.map(\.type).joined(separator: ", ")))")
                }
            case .failure:
                FileHandle.standardError.write(Data("""
                    note: --event-type is not checked: no event-type catalog (event-types.json of the configuration folder) can be \
                    read here; set HOOKLOG_CONFIG_DIR to check it, as a type mistyped matches nothing

                    """.utf8))
            }
        }
        // On standard error: opening may first rebuild the projections (after an upgrade, or a
        // rebuild cut short), which takes a while on a long log and should say so.
        let store = try HooklogStore(path: path, logger: Logger(label: "hooklog.resend", factory: { label in StreamLogHandler.standardError(label: label) }))
        let nowMs = JournalConfiguration.wallClockMs()
        do {
            let (tenantId, keyIsATenants) = try await self.offlineScope(named: namedTenantId, in: store)
            try await Self.resendInParts(criteria, sending: "will be sent again when Hooklog next starts", runId: nil) { part in
                do {
                    let progress = ProgressBar("resend", totalCount: nil, unit: "tenants")
                    defer { progress.finish() }
                    var answer = ResendAnswer(try await store.requestReplays(of: tenantId, part, limits: limits, nowMs: nowMs) { done, tenantCount in
                        progress.update(UInt64(done), of: UInt64(tenantCount))
                    })
                    answer.coversOnlyTheKeysTenant = keyIsATenants
                    return .taken(answer)
                } catch let error as ReplayError where error.splitAtMs != nil {
                    return .tooLarge(reason: error.description, splitAtMs: error.splitAtMs)
                }
            }
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    /// The window and filters, checked as the API checks them (before the store opens, which may
    /// first rebuild its projections).
    var criteria: ReplayCriteria {
        get throws {
            let criteria = ReplayCriteria(
                sinceMs: self.since.milliseconds,
                untilMs: self.until.milliseconds,
                endpointId: try self.endpoint.map { try Self.parse($0, as: EndpointID.self, option: "--endpoint") },
                statusFilter: self.status.filter,
                eventTypes: self.eventTypes.isEmpty ? nil : self.eventTypes
            )
            do {
                try criteria.validate()
            } catch {
                throw CommandFailure("cannot resend: \(error)")
            }
            return criteria
        }
    }

    private static func parse<Kind>(_ text: String, as type: PrefixedID<Kind>.Type, option: String) throws -> PrefixedID<Kind> {
        guard let id = PrefixedID<Kind>.parse(text) else { throw CommandFailure("\(option) \(text) is not a valid \(Kind.prefix)_… id") }
        return id
    }
}
