import Logging
import HooklogCore
public import HooklogJournal
public import Hummingbird

/// Authenticates `Authorization: Bearer <key>`: the admin key from the configuration, or a
/// tenant's API key, looked up by its SHA-256 (keys are stored only as hashes). Keys are never
/// logged; both comparisons take constant time.
public struct AuthMiddleware: RouterMiddleware {
    public typealias Context = APIRequestContext

    let store: HooklogStore
    let adminKeyHash: SHA256Digest?

    /// Authenticates against `store`'s tenants and, if configured, `adminKey`.
    public init(store: HooklogStore, adminKey: String?) {
        self.store = store
        self.adminKeyHash = adminKey.flatMap { $0.isEmpty ? nil : SHA256Hasher.digest(Array($0.utf8)) }
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthorized("send Authorization: Bearer <API key>")
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else {
            throw APIError.unauthorized("the Authorization header must be Bearer <API key>")
        }
        let keyHash = SHA256Hasher.digest(Array(parts[1].utf8))
        var context = context
        if let adminKeyHash = self.adminKeyHash, ConstantTime.equals(adminKeyHash.bytes, keyHash.bytes) {
            context.caller = .admin
        } else if let tenantId = try self.store.tenantId(authenticatedBy: keyHash) {
            context.caller = .tenant(tenantId)
            context.logger[metadataKey: "tenant.id"] = .stringConvertible(tenantId)
        } else {
            throw APIError.unauthorized("the API key is not valid")
        }
        return try await next(request, context)
    }
}
