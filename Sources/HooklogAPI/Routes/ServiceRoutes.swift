public import Hummingbird
import NIOCore

/// `/metrics` (Prometheus text; the admin key, since it counts across tenants) and
/// `/openapi.yaml` (this API's description; any key). Mounted behind `AuthMiddleware`.
public struct ServiceRoutes: Sendable {
    let environment: APIEnvironment

    /// The routes over `environment`.
    public init(environment: APIEnvironment) {
        self.environment = environment
    }

    /// The routes, to mount at the root behind `AuthMiddleware`.
    public var routes: RouteCollection<APIRequestContext> {
        let routes = RouteCollection(context: APIRequestContext.self)
        routes.get("metrics", use: self.metrics)
        routes.get("openapi.yaml", use: self.openAPI)
        return routes
    }

    @Sendable func metrics(_ request: Request, context: APIRequestContext) async throws -> Response {
        try context.requireAdmin()
        let text = try self.environment.metrics.render(store: self.environment.store, nowMs: self.environment.clock())
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: text))
        )
    }

    @Sendable func openAPI(_ request: Request, context: APIRequestContext) async throws -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/yaml"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.bytes))
        )
    }
}

/// The OpenAPI 3.1 description of this API, the module's resource `openapi.yaml`.
public enum OpenAPIDocument {
    /// The document's bytes, compiled into the binary (`PackageResources`): a `hooklog` copied
    /// elsewhere serves it, where a resource bundle left behind made the first read trap.
    public static var bytes: [UInt8] { PackageResources.openapi_yaml }
}
