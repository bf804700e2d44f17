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
        guard let header = request.headers.value(of: .authorization) else {
            throw APIError.unauthorized("send Authorization: Bearer <API key>")
        }
        guard let key = Self.bearerKey(in: header) else {
            throw APIError.unauthorized("the Authorization header must be Bearer <API key>")
        }
        let keyHash = SHA256Hasher.digest(key)
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

    /// The key of `Bearer <key>`, the scheme in any case; `nil` for another scheme or no key.
    /// Spaces around the scheme are skipped (RFC 7235 allows several after it); the key is
    /// everything after them.
    static func bearerKey(in header: String) -> [UInt8]? {
        let space = UInt8(ascii: " ")
        let value = header.utf8.drop(while: { $0 == space })
        guard let schemeEnd = value.firstIndex(of: space) else { return nil }
        let scheme = value[..<schemeEnd]
        let key = value[schemeEnd...].drop(while: { $0 == space })
        // ASCII letters only differ in 0x20; no other byte turns into one of "bearer" by it.
        guard !key.isEmpty, scheme.elementsEqual("bearer".utf8, by: { $0 | 0x20 == $1 }) else { return nil }
        // Copied whole from the string's storage; `Array(key)` would copy it byte by byte.
        return key.withContiguousStorageIfAvailable { Array($0) } ?? Array(key)
    }
}
