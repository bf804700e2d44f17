public import Hummingbird
import HooklogCore

/// `GET /v1/event_types`: the catalog (`Config/event-types.json`) that posted events and
/// subscriptions are checked against, so that a client can offer what may be subscribed to
/// rather than learn it from a 422. Any key may read it: the catalog is the same for every tenant.
public struct EventTypeRoutes: Sendable {
    let environment: APIEnvironment

    /// The routes over `environment`.
    public init(environment: APIEnvironment) {
        self.environment = environment
    }

    /// The routes, to mount at `/v1/event_types`.
    public var routes: RouteCollection<APIRequestContext> {
        let routes = RouteCollection(context: APIRequestContext.self)
        routes.get(use: self.list)
        return routes
    }

    /// Every type in the catalog's order, on one page; `emitted_by_hooklog` marks those only
    /// Hooklog posts (`endpoint.disabled`), which may be subscribed to but not posted.
    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        try QueryParameters.refuseAny(in: request)
        let items = self.environment.eventTypes.entries.map { entry in
            JSONValue.object([
                ("type", .string(entry.type)),
                ("description", .string(entry.description)),
                ("emitted_by_hooklog", .bool(entry.type == EndpointHealthPolicy.disabledEventType)),
            ])
        }
        return JSONValue.list(items, nextCursor: nil).response(status: .ok)
    }
}
