public import HTTPTypes
public import Hummingbird
import Synchronization

/// The methods each route takes, so that a request naming a route with a method it does not
/// take is told so (405, with `Allow`), not that there is no such route (404).
///
/// Filled once the router has its routes (`learn`), before it serves: the middleware that asks
/// must be added to the router before the routes it covers.
public final class RouteMethods: Sendable {
    private let routes = Mutex<[(path: RouterPath, method: HTTPRequest.Method)]>([])

    /// A table with no routes yet.
    public init() {}

    /// Takes in every route of `router`.
    public func learn<Context>(_ router: Router<Context>) {
        let routes = router.routes.map { (path: $0.path, method: $0.method) }
        self.routes.withLock { $0 = routes }
    }

    /// The methods of the routes whose template `path` matches, in a stable order; empty when
    /// no route matches it. A GET route takes HEAD too (the router answers it).
    public func methods(forPath path: String) -> [HTTPRequest.Method] {
        let parts = path.split(separator: "/")
        var methods = Set(self.routes.withLock { routes in
            routes.filter { route in
                route.path.components.count == parts.count && zip(route.path.components, parts).allSatisfy { $0 ~= $1 }
            }.map(\.method)
        })
        if methods.contains(.get) { methods.insert(.head) }
        return methods.sorted { $0.rawValue < $1.rawValue }
    }
}
