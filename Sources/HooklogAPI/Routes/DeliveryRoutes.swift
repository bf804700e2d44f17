import Logging
import HooklogCore
import HooklogJournal
public import Hummingbird

/// `/v1/deliveries`: list with filters, read one with its latest attempts, send one again now
/// (once per `Idempotency-Key`).
public struct DeliveryRoutes: Sendable {
    let environment: APIEnvironment

    /// The routes over `environment`.
    public init(environment: APIEnvironment) {
        self.environment = environment
    }

    /// The routes, to mount at `/v1/deliveries`.
    public var routes: RouteCollection<APIRequestContext> {
        let routes = RouteCollection(context: APIRequestContext.self)
        routes.get(use: self.list)
        routes.get(":id", use: self.read)
        routes.post(":id/retry", use: self.retry)
        return routes
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        let tenantId = try context.tenantId()
        let parameters = try QueryParameters(request, taking: ListParameters.windowedNames + ["endpoint_id", "status"])
        let listing = try ListParameters(parameters)
        var query = DeliveryQuery(sinceMs: listing.sinceMs, untilMs: listing.untilMs)
        if let text = parameters["endpoint_id"] {
            guard let endpointId = EndpointID.parse(text) else { throw APIError.invalidParameter("endpoint_id \(APIError.quoted(text)) is not an endpoint id") }
            query.endpointId = endpointId
        }
        if let text = parameters["status"] {
            guard let status = DeliveryStatus.allCases.first(where: { $0.name == text }) else {
                let names = DeliveryStatus.allCases.map(\.name).joined(separator: ", ")
                throw APIError.invalidParameter("status must be one of \(names)")
            }
            query.status = status
        }
        let page = try self.environment.store.listDeliveries(tenantId: tenantId, query, after: listing.cursor, limit: listing.limit)
        return JSONValue.list(page.items.map(\.json), nextCursor: page.nextCursor?.text).response(status: .ok)
    }

    @Sendable func read(_ request: Request, context: APIRequestContext) async throws -> Response {
        try QueryParameters.refuseAny(in: request)
        let tenantId = try context.tenantId()
        let deliveryId = try Self.deliveryId(context)
        guard let state = try self.environment.store.delivery(deliveryId, tenantId: tenantId) else {
            throw APIError.notFound("no delivery \(deliveryId)")
        }
        return StoredDelivery(id: deliveryId, state: state).json.response(status: .ok)
    }

    @Sendable func retry(_ request: Request, context: APIRequestContext) async throws -> Response {
        try QueryParameters.refuseAny(in: request)
        let tenantId = try context.tenantId()
        try await request.refuseBody(limitBytes: self.environment.configuration.maxBodyBytes)
        let deliveryId = try Self.deliveryId(context)
        let idempotencyKey = try IdempotencyKeyHeader.key(of: request)
        let outcome: DeliveryRetryOutcome
        do {
            outcome = try await self.environment.store.retryDelivery(deliveryId, tenantId: tenantId, idempotencyKey: idempotencyKey, nowMs: self.environment.clock())
        } catch let error as IdempotencyKeyReused {
            throw APIError.idempotencyKeyReused(error.description)
        }
        switch outcome {
        case .scheduled(let state):
            context.logger.info("delivery retry requested", metadata: ["delivery.id": "\(deliveryId)"])
            return StoredDelivery(id: deliveryId, state: state).json.response(status: .accepted)
        case .repeated(let state):
            return StoredDelivery(id: deliveryId, state: state).json.response(status: .accepted, headers: [IdempotencyKeyHeader.replayedName: "true"])
        case .notFound:
            throw APIError.notFound("no delivery \(deliveryId)")
        case .inFlight:
            throw APIError.conflict("delivery \(deliveryId) is being attempted right now; retry once the attempt has finished")
        case .endpointUnavailable:
            throw APIError.conflict("the endpoint of delivery \(deliveryId) is deleted or disabled; enable it (PATCH status) first")
        }
    }

    private static func deliveryId(_ context: APIRequestContext) throws -> DeliveryID {
        let text = context.parameters.get("id") ?? ""
        guard let id = DeliveryID.parse(text) else { throw APIError.notFound("no delivery \(APIError.quoted(text))") }
        return id
    }
}
