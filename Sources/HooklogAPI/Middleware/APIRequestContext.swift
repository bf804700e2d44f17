public import HooklogCore
public import Hummingbird
public import NIOCore
import Logging

/// Who is calling, as the bearer key says.
public enum Caller: Sendable, Equatable {
    /// The holder of the configured admin key.
    case admin
    /// A tenant, by its API key.
    case tenant(TenantID)
}

/// The request context of the API: Hummingbird's core plus the authenticated caller.
public struct APIRequestContext: RequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// Set by `AuthMiddleware` on every `/v1` route.
    public var caller: Caller?
    /// The connection the request came on: a long answer (an export) stops once it is closed.
    public let channel: any Channel

    /// A context for one request.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.caller = nil
        self.channel = source.channel
    }

    /// The calling tenant; a 403 for the admin key, which acts for no tenant.
    func tenantId() throws -> TenantID {
        switch self.caller {
        case .tenant(let tenantId)?: return tenantId
        case .admin?: throw APIError.forbidden("the admin key only creates tenants; use a tenant's API key for this route")
        case nil: throw APIError.unauthorized("send Authorization: Bearer <API key>")
        }
    }

    /// Checks that the caller holds the admin key: a 403 for a tenant key.
    func requireAdmin() throws {
        switch self.caller {
        case .admin?: return
        case .tenant?: throw APIError.forbidden("this route needs the admin key; a tenant API key cannot use it")
        case nil: throw APIError.unauthorized("send Authorization: Bearer <admin key>")
        }
    }
}
