public import Hummingbird

/// `/healthz` (the process answers) and `/readyz` (the journal is open and the scheduler runs):
/// the only routes that need no key, so that probes need no secret.
public struct HealthRoutes: Sendable {
    let environment: APIEnvironment

    /// The routes over `environment`.
    public init(environment: APIEnvironment) {
        self.environment = environment
    }

    /// The routes, to mount at the root.
    public var routes: RouteCollection<APIRequestContext> {
        let routes = RouteCollection(context: APIRequestContext.self)
        routes.get("healthz", use: self.health)
        routes.get("readyz", use: self.readiness)
        return routes
    }

    @Sendable func health(_ request: Request, context: APIRequestContext) async throws -> Response {
        JSONValue.object([("status", .string("ok"))]).response(status: .ok)
    }

    @Sendable func readiness(_ request: Request, context: APIRequestContext) async throws -> Response {
        guard self.environment.isReady() else {
            throw APIError.notReady("the journal is not open or the scheduler is not running yet (or any more)")
        }
        return JSONValue.object([("status", .string("ready"))]).response(status: .ok)
    }
}
