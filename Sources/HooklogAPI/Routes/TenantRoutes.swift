import Logging
import Foundation
import HooklogCore
import HooklogJournal
public import Hummingbird

/// `/v1/tenants` (admin key): creates a tenant and shows its API key once; replaces a tenant's
/// API key or inline signing secret (one leaked or lost), showing the new one once.
public struct TenantRoutes: Sendable {
    let environment: APIEnvironment

    /// The routes over `environment`.
    public init(environment: APIEnvironment) {
        self.environment = environment
    }

    /// The routes, to mount at `/v1/tenants`.
    public var routes: RouteCollection<APIRequestContext> {
        let routes = RouteCollection(context: APIRequestContext.self)
        routes.post(use: self.create)
        routes.post(":id/rotate_api_key", use: self.rotateAPIKey)
        routes.post(":id/rotate_inline_signing_secret", use: self.rotateInlineSigningSecret)
        return routes
    }

    private struct CreateBody: RequestBody {
        let name: String
        let inlineProfile: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name
            case inlineProfile = "inline_profile"
        }
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> Response {
        try QueryParameters.refuseAny(in: request)
        try context.requireAdmin()
        let idempotencyKey = try IdempotencyKeyHeader.key(of: request)
        let bytes = try await request.collectBody(limitBytes: self.environment.configuration.maxBodyBytes)
        let body = try JSONBody.decode(CreateBody.self, from: bytes)
        let name = body.name.trimmingCharacters(in: .whitespaces)
        // Counted in code points, as openapi's maxLength is: a character may hold any number.
        guard !name.isEmpty, name.unicodeScalars.count <= 200 else { throw APIError.invalidField("name must be 1 to 200 characters") }
        let inlineProfile = try self.inlineProfile(named: body.inlineProfile ?? WireProfile.defaultName)
        let apiKey = Self.newAPIKey()
        let inlineSecret = try APIEnvironment.newSecret(for: inlineProfile.signatureScheme)
        let nowMs = self.environment.clock()
        let tenantId: TenantID
        do {
            tenantId = try await self.environment.store.createTenant(
                name: name,
                apiKeyHash: SHA256Hasher.digest(Array(apiKey.utf8)),
                defaultSigningSecret: inlineSecret,
                inlineProfile: inlineProfile.name,
                idempotentRequest: idempotencyKey.map { IdempotentRequest(key: $0, bodyDigest: SHA256Hasher.digest(bytes)) },
                nowMs: nowMs
            )
        } catch let error as IdempotencyKeyReused {
            throw APIError.idempotencyKeyReused(error.description)
        } catch let error as TenantAlreadyCreated {
            throw APIError.alreadyCreated(
                "Idempotency-Key \"\(error.idempotencyKey)\" created tenant \(error.tenantId) (id, created_at), and nothing more was "
                    + "created; its API key and inline signing secret were shown once only: give it new ones with POST /v1/tenants/\(error.tenantId)/rotate_api_key "
                    + "and POST /v1/tenants/\(error.tenantId)/rotate_inline_signing_secret",
                id: error.tenantId.description,
                createdAtMs: error.createdAtMs
            )
        }
        context.logger.info("tenant created", metadata: ["tenant.id": "\(tenantId)"])
        return JSONValue.object([
            ("id", .string(tenantId.description)),
            ("name", .string(name)),
            ("created_at", .time(nowMs)),
            ("api_key", .string(apiKey)),
            ("inline_profile", .string(inlineProfile.name)),
            ("inline_signing_secret", .string(inlineSecret)),
        ]).response(status: .created)
    }

    /// Replaces the tenant's API key: the old one is refused from the answer on.
    @Sendable func rotateAPIKey(_ request: Request, context: APIRequestContext) async throws -> Response {
        try QueryParameters.refuseAny(in: request)
        try context.requireAdmin()
        try await request.refuseBody(limitBytes: self.environment.configuration.maxBodyBytes)
        let text = context.parameters.get("id") ?? ""
        guard let tenantId = TenantID.parse(text) else { throw APIError.notFound("no tenant \(APIError.quoted(text))") }
        let apiKey = Self.newAPIKey()
        let nowMs = self.environment.clock()
        guard try await self.environment.store.rotateTenantAPIKey(tenantId, apiKeyHash: SHA256Hasher.digest(Array(apiKey.utf8)), nowMs: nowMs) else {
            throw APIError.notFound("no tenant \(APIError.quoted(text))")
        }
        context.logger.info("tenant API key rotated", metadata: ["tenant.id": "\(tenantId)"])
        return JSONValue.object([
            ("id", .string(tenantId.description)),
            ("api_key", .string(apiKey)),
            ("rotated_at", .time(nowMs)),
        ]).response(status: .ok)
    }

    /// Replaces the secret that signs the tenant's deliveries to inline `webhook_url`s; the old
    /// one signs beside it for the grace period where the inline profile carries several
    /// signatures, and no more otherwise.
    @Sendable func rotateInlineSigningSecret(_ request: Request, context: APIRequestContext) async throws -> Response {
        try QueryParameters.refuseAny(in: request)
        try context.requireAdmin()
        try await request.refuseBody(limitBytes: self.environment.configuration.maxBodyBytes)
        let text = context.parameters.get("id") ?? ""
        // The inline profile never changes: the secret made for it now is made for it at the command.
        guard let tenantId = TenantID.parse(text), let tenant = try self.environment.store.tenant(tenantId) else {
            throw APIError.notFound("no tenant \(APIError.quoted(text))")
        }
        let scheme = try self.environment.profile(tenant.inlineProfile).signatureScheme
        let secret = try APIEnvironment.newSecret(for: scheme)
        let graceMs = self.environment.rotationGraceMs(for: scheme)
        let nowMs = self.environment.clock()
        guard try await self.environment.store.rotateTenantInlineSecret(tenantId, newSecret: secret, gracePeriodMs: graceMs, nowMs: nowMs) else {
            throw APIError.notFound("no tenant \(APIError.quoted(text))")
        }
        context.logger.info("tenant inline signing secret rotated", metadata: ["tenant.id": "\(tenantId)"])
        return JSONValue.object([
            ("id", .string(tenantId.description)),
            ("inline_profile", .string(tenant.inlineProfile)),
            ("inline_signing_secret", .string(secret)),
            ("previous_secret_expires_at", graceMs > 0 ? .time(nowMs + graceMs) : .null),
            ("rotated_at", .time(nowMs)),
        ]).response(status: .ok)
    }

    /// A new API key: 256 random bits, in hex after `hk_`.
    private static func newAPIKey() -> String {
        "hk_" + Hex.encode(APIEnvironment.randomBytes(32))
    }

    /// The profile of the tenant's deliveries to inline `webhook_url`s: one that needs no more
    /// than the tenant's secret (an inline delivery has no bearer token) and is not for mid-call.
    private func inlineProfile(named name: String) throws -> WireProfile {
        let profile = try self.environment.profile(name)
        if profile.isForMidCall {
            throw APIError.invalidField("inline_profile \(profile.name) is for mid-call invocations, not deliveries")
        }
        if profile.signatureScheme == .bearerToken {
            throw APIError.invalidField("inline_profile \(profile.name) authenticates with an endpoint's bearer_token, which an inline webhook_url has none of")
        }
        return profile
    }
}
