import HooklogCore
import HooklogJournal
public import Hummingbird
import Logging

/// `/v1/replays`: re-send a window of finished deliveries (each once more, with its event's id)
/// and follow a replay's progress. A request repeated with its `Idempotency-Key` (the caller's)
/// gets the first answer and journals nothing; another request with the key is refused.
///
/// A tenant key replays its own deliveries. The admin key replays every tenant's (one replay per
/// tenant with matching deliveries), or one tenant's with `tenant_id` (which a tenant key may
/// give only as its own).
public struct ReplayRoutes: Sendable {
    let environment: APIEnvironment

    /// The routes over `environment`.
    public init(environment: APIEnvironment) {
        self.environment = environment
    }

    /// The routes, to mount at `/v1/replays`.
    public var routes: RouteCollection<APIRequestContext> {
        let routes = RouteCollection(context: APIRequestContext.self)
        routes.post(use: self.create)
        routes.get(":id", use: self.read)
        return routes
    }

    private struct CreateBody: RequestBody {
        let since: String
        let until: String
        let endpointId: String?
        let status: String?
        let eventTypes: [String]?
        let tenantId: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case since, until
            case endpointId = "endpoint_id"
            case status
            case eventTypes = "event_types"
            case tenantId = "tenant_id"
        }
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> Response {
        try QueryParameters.refuseAny(in: request)
        guard let caller = context.caller else { throw APIError.unauthorized("send Authorization: Bearer <API key>") }
        let idempotencyKey = try IdempotencyKeyHeader.key(of: request)
        let bytes = try await request.collectBody(limitBytes: self.environment.configuration.maxBodyBytes)
        let body = try JSONBody.decode(CreateBody.self, from: bytes)
        let criteria = try Self.criteria(body, knownTypes: self.environment.eventTypes)
        let namedTenantId = try body.tenantId.map { text in
            guard let id = TenantID.parse(text) else { throw APIError.invalidField("tenant_id \(APIError.quoted(text)) is not a tenant id") }
            return id
        }
        let tenantId: TenantID?
        // The key is the caller's: a tenant's, or the admin's whichever tenant it names.
        let keyOwner: TenantID?
        switch caller {
        case .tenant(let id):
            // A tenant key replays its own deliveries; naming another tenant finds nothing.
            if let namedTenantId, namedTenantId != id { throw APIError.notFound("no tenant \(namedTenantId)") }
            tenantId = id
            keyOwner = id
        case .admin:
            tenantId = namedTenantId
            keyOwner = nil
        }
        let nowMs = self.environment.clock()
        let limits = ReplayLimits(maxMatchedCount: self.environment.configuration.replayMaxDeliveries)
        let key = idempotencyKey.map { ReplayIdempotencyKey($0, of: keyOwner) }
        let requested: RequestedReplays
        do {
            requested = try await self.environment.store.requestReplays(of: tenantId, criteria, limits: limits, idempotencyKey: key, nowMs: nowMs)
        } catch let error as ReplayError {
            if error.isNotFound { throw APIError.notFound(error.description) }
            if let splitAtMs = error.splitAtMs { throw APIError.replayTooLarge(error.description, splitAtMs: splitAtMs) }
            if error.isIdempotencyKeyReused { throw APIError.idempotencyKeyReused(error.description) }
            if error.isSearchLineFull { throw APIError.tooManyReplays(error.description) }
            throw APIError.invalidField(error.description)
        }
        let replays = requested.replays
        for replay in replays where !requested.isRepeat {
            context.logger.info(
                "replay requested",
                metadata: ["replay.id": "\(replay.replayId)", "tenant.id": "\(replay.tenantId)", "replay.matched": "\(replay.matched)"]
            )
        }
        var members: [(String, JSONValue)] = [
            // One id stands for the request only when it made one replay; the rest are listed.
            ("id", .optional(replays.count == 1 ? replays[0].replayId.description : nil)),
            ("matched", .int(Int64(requested.matched))),
            ("skipped", .object([
                ("unfinished", .int(Int64(requested.skipped.unfinishedCount))),
                ("endpoint_disabled", .int(Int64(requested.skipped.endpointDisabledCount))),
            ])),
        ]
        if case .admin = caller {
            members.append(("replays", .array(replays.map { replay in
                .object([
                    ("id", .string(replay.replayId.description)),
                    ("tenant_id", .string(replay.tenantId.description)),
                    ("matched", .int(Int64(replay.matched))),
                ])
            })))
        }
        var response = JSONValue.object(members).response(status: .accepted)
        if requested.isRepeat { response.headers[IdempotencyKeyHeader.replayedName] = "true" }
        return response
    }

    @Sendable func read(_ request: Request, context: APIRequestContext) async throws -> Response {
        try QueryParameters.refuseAny(in: request)
        guard let caller = context.caller else { throw APIError.unauthorized("send Authorization: Bearer <API key>") }
        let text = context.parameters.get("id") ?? ""
        guard let id = ReplayID.parse(text), let state = try self.environment.store.replay(id) else {
            throw APIError.notFound("no replay \(APIError.quoted(text))")
        }
        if case .tenant(let tenantId) = caller, tenantId != state.tenantId {
            throw APIError.notFound("no replay \(APIError.quoted(text))")
        }
        return Self.json(id, state).response(status: .ok)
    }

    // MARK: Parts

    /// Reads the body's window and filters, and checks them as every replay is (`ReplayCriteria.validate`),
    /// and its event types against the catalog: a mistyped one would match nothing, unseen.
    private static func criteria(_ body: CreateBody, knownTypes: EventTypeCatalog) throws -> ReplayCriteria {
        guard let sinceMs = TimeFormat.instantMs(rfc3339: body.since) else {
            throw APIError.invalidField("since must be an RFC 3339 time from 1970 to 9999, e.g. 2026-05-09T14:00:00Z")
        }
        guard let untilMs = TimeFormat.instantMs(rfc3339: body.until) else {
            throw APIError.invalidField("until must be an RFC 3339 time from 1970 to 9999, e.g. 2026-05-09T15:00:00Z")
        }
        var statusFilter = ReplayStatusFilter.byDefault
        if let text = body.status {
            guard let filter = ReplayStatusFilter(name: text) else {
                throw APIError.invalidField("status must be failed or all")
            }
            statusFilter = filter
        }
        var endpointId: EndpointID?
        if let text = body.endpointId {
            guard let id = EndpointID.parse(text) else { throw APIError.invalidField("endpoint_id \(APIError.quoted(text)) is not an endpoint id (ep_…)") }
            endpointId = id
        }
        let criteria = ReplayCriteria(sinceMs: sinceMs, untilMs: untilMs, endpointId: endpointId, statusFilter: statusFilter, eventTypes: body.eventTypes)
        do {
            try criteria.validate()
        } catch {
            throw APIError.invalidField(error.description)
        }
        if let unknown = body.eventTypes?.first(where: { !knownTypes.contains($0) }) {
            throw APIError.unknownEventType("event_types: \(APIError.quoted(unknown)) is not a known event type; GET /v1/event_types lists them")
        }
        return criteria
    }

    /// A replay and its progress: `running` until every re-sent delivery has finished.
    private static func json(_ id: ReplayID, _ state: ReplayState) -> JSONValue {
        .object([
            ("id", .string(id.description)),
            ("tenant_id", .string(state.tenantId.description)),
            ("status", .string(state.remainingCount == 0 ? "completed" : "running")),
            ("since", .time(state.sinceMs)),
            ("until", .time(state.untilMs)),
            ("endpoint_id", .optional(state.endpointId?.description)),
            ("delivery_status", .string(state.statusFilter.name)),
            ("event_types", state.eventTypes.map { .array($0.map(JSONValue.string)) } ?? .null),
            ("requested_at", .time(state.requestedAtMs)),
            ("matched", .int(Int64(clamping: state.scheduledCount))),
            ("succeeded", .int(Int64(clamping: state.succeededCount))),
            ("failed", .int(Int64(clamping: state.failedCount))),
            ("cancelled", .int(Int64(clamping: state.cancelledCount))),
            ("remaining", .int(Int64(clamping: state.remainingCount))),
        ])
    }
}
