import Logging
import HooklogCore
import HooklogJournal
import HTTPTypes
public import Hummingbird

/// `/v1/events`: ingest (202 only once the event is synced to disk; a repeated
/// `Idempotency-Key` with the same body gets the first answer, with another a 422), list by
/// receipt time, read one.
public struct EventRoutes: Sendable {
    /// A call id goes into a header in some wire profiles: 1 to 256 bytes, no control characters.
    static func checkCallId(_ callId: String) throws {
        guard OutgoingEvent.isUsableCallId(callId) else {
            throw APIError.invalidField("call_id must be 1 to \(OutgoingEvent.maxCallIdBytes) bytes, without control characters")
        }
    }

    let environment: APIEnvironment

    /// The routes over `environment`.
    public init(environment: APIEnvironment) {
        self.environment = environment
    }

    /// The routes, to mount at `/v1/events`.
    public var routes: RouteCollection<APIRequestContext> {
        let routes = RouteCollection(context: APIRequestContext.self)
        routes.post(use: self.ingest)
        routes.get(use: self.list)
        routes.get(":id", use: self.read)
        return routes
    }

    @Sendable func ingest(_ request: Request, context: APIRequestContext) async throws -> Response {
        try QueryParameters.refuseAny(in: request)
        let tenantId = try context.tenantId()
        let idempotencyKey = try IdempotencyKeyHeader.key(of: request)
        let rawBody = try await request.collectBody(limitBytes: self.environment.configuration.maxBodyBytes)
        let body = try IngestBody(parsing: rawBody)
        try self.environment.checkPostableEventType(body.type ?? "")
        guard body.hasData else { throw APIError.invalidField("data is required: a JSON object with the event's payload") }
        if let callId = body.callId { try Self.checkCallId(callId) }
        var occurredAtMs: UInt64?
        if let occurredAt = body.occurredAt {
            guard let ms = TimeFormat.instantMs(rfc3339: occurredAt) else {
                throw APIError.invalidField("occurred_at must be an RFC 3339 time from 1970 to 9999, such as 2026-05-09T14:32:55Z")
            }
            occurredAtMs = ms
        }
        if let webhookURL = body.webhookURL {
            try await self.environment.checkDestination(webhookURL, field: "webhook_url", of: tenantId, takingUnresolvedNames: true, unlessRepeat: {
                try idempotencyKey.map { try self.environment.store.hasUsedIdempotencyKey($0, tenantId: tenantId) } ?? false
            })
        }
        let ingested: IngestedEvent
        do {
            ingested = try await self.environment.store.ingest(
                EventSubmission(
                    tenantId: tenantId,
                    type: body.type ?? "",
                    rawBody: rawBody,
                    occurredAtMs: occurredAtMs,
                    callId: body.callId,
                    idempotencyKey: idempotencyKey,
                    webhookURL: body.webhookURL
                )
            )
        } catch let error as IdempotencyKeyReused {
            throw APIError.idempotencyKeyReused(error.description)
        }
        var headers: HTTPFields = [:]
        if ingested.isRepeat {
            headers[IdempotencyKeyHeader.replayedName] = "true"
        } else {
            self.environment.metrics.recordEventAccepted()
        }
        return JSONValue.object([
            ("id", .string(ingested.eventId.description)),
            ("seq", .int(Int64(clamping: ingested.sequence))),
            ("deliveries", .array(ingested.deliveries.map { delivery -> JSONValue in
                .object([
                    ("id", .string(delivery.deliveryId.description)),
                    ("endpoint_id", .optional(delivery.endpointId?.description)),
                ])
            })),
        ]).response(status: .accepted, headers: headers)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        let tenantId = try context.tenantId()
        let given = try QueryParameters(request, taking: ListParameters.windowedNames + ["type"])
        let parameters = try ListParameters(given)
        let type = given["type"].map(String.init)
        if type?.isEmpty == true { throw APIError.invalidParameter("type must name an event type") }
        let query = EventQuery(sinceMs: parameters.sinceMs, untilMs: parameters.untilMs, type: type)
        let page = try self.environment.store.listEvents(tenantId: tenantId, query, after: parameters.cursor, limit: parameters.limit)
        return JSONValue.list(page.items.map(\.json), nextCursor: page.nextCursor?.text).response(status: .ok)
    }

    @Sendable func read(_ request: Request, context: APIRequestContext) async throws -> Response {
        try QueryParameters.refuseAny(in: request)
        let tenantId = try context.tenantId()
        let text = context.parameters.get("id") ?? ""
        guard let eventId = EventID.parse(text), let event = try self.environment.store.event(eventId, tenantId: tenantId) else {
            throw APIError.notFound("no event \(APIError.quoted(text))")
        }
        return event.json.response(status: .ok)
    }
}
