import Logging
import HooklogCore
import HooklogJournal
public import Hummingbird

/// `/v1/endpoints`: create (the signing secret shown once, and again to a repeat of the request
/// within a day), list, read, change, delete, and rotate the secret; every URL passes the
/// destination guard first.
public struct EndpointRoutes: Sendable {
    let environment: APIEnvironment

    /// The routes over `environment`.
    public init(environment: APIEnvironment) {
        self.environment = environment
    }

    /// The routes, to mount at `/v1/endpoints`.
    public var routes: RouteCollection<APIRequestContext> {
        let routes = RouteCollection(context: APIRequestContext.self)
        routes.post(use: self.create)
        routes.get(use: self.list)
        routes.get(":id", use: self.read)
        routes.patch(":id", use: self.update)
        routes.delete(":id", use: self.delete)
        routes.post(":id/rotate_secret", use: self.rotateSecret)
        return routes
    }

    private struct CreateBody: RequestBody {
        let url: String
        let description: String?
        let enabledEvents: [String]?
        let profile: String?
        let bearerToken: String?
        let metadata: JSONObjectShape?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case url, description, profile, metadata
            case enabledEvents = "enabled_events"
            case bearerToken = "bearer_token"
        }
    }

    private struct UpdateBody: RequestBody {
        let url: String?
        let description: String?
        let enabledEvents: [String]?
        let profile: String?
        let bearerToken: Patch<String>
        let hasMetadata: Patch<JSONObjectShape>
        let status: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case url, description, profile, metadata, status
            case enabledEvents = "enabled_events"
            case bearerToken = "bearer_token"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            // Only bearer_token and metadata can be cleared; a null elsewhere is refused, not
            // taken as "unchanged" behind a 200.
            self.url = try container.decodeUnlessNull(String.self, forKey: .url)
            self.description = try container.decodeUnlessNull(String.self, forKey: .description)
            self.enabledEvents = try container.decodeUnlessNull([String].self, forKey: .enabledEvents)
            self.profile = try container.decodeUnlessNull(String.self, forKey: .profile)
            self.bearerToken = try container.decodePatch(String.self, forKey: .bearerToken)
            self.hasMetadata = try container.decodePatch(JSONObjectShape.self, forKey: .metadata)
            self.status = try container.decodeUnlessNull(String.self, forKey: .status)
        }
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> Response {
        try QueryParameters.refuseAny(in: request)
        let tenantId = try context.tenantId()
        let idempotencyKey = try IdempotencyKeyHeader.key(of: request)
        let bytes = try await request.collectBody(limitBytes: self.environment.configuration.maxBodyBytes)
        let body = try JSONBody.decode(CreateBody.self, from: bytes)
        let description = body.description ?? ""
        try Self.checkDescription(description)
        let profile = try self.environment.profile(body.profile ?? WireProfile.defaultName)
        let enabledEvents = try self.environment.subscriptions(body.enabledEvents ?? (profile.isForMidCall ? [] : ["*"]))
        try APIEnvironment.checkSubscriptions(enabledEvents, of: profile)
        try Self.checkBearerToken(body.bearerToken)
        // An empty token is none, as a PATCH takes it: a later switch to a bearer profile then needs one.
        let bearerToken = body.bearerToken.flatMap { $0.isEmpty ? nil : $0 }
        if profile.signatureScheme == .bearerToken && bearerToken == nil {
            throw APIError.invalidField("the \(profile.name) profile authenticates with bearer_token; give one")
        }
        try await self.environment.checkDestination(body.url, field: "url", of: tenantId, unlessRepeat: {
            try idempotencyKey.map { try self.environment.store.hasCreatedEndpoint(withIdempotencyKey: $0, tenantId: tenantId) } ?? false
        })
        let draft = EndpointDraft(
            url: body.url,
            description: description,
            enabledEvents: enabledEvents,
            profile: profile.name,
            signingSecret: try APIEnvironment.newSecret(for: profile.signatureScheme),
            bearerToken: bearerToken,
            metadata: try Self.metadata(of: bytes)
        )
        let created: CreatedEndpoint
        do {
            created = try await self.environment.store.createEndpoint(
                tenantId: tenantId,
                draft,
                idempotentRequest: idempotencyKey.map { IdempotentRequest(key: $0, bodyDigest: SHA256Hasher.digest(bytes)) },
                nowMs: self.environment.clock(),
                maxPerTenant: self.environment.configuration.maxEndpointsPerTenant
            )
        } catch let error as TooManyEndpoints {
            throw APIError.limitReached("a tenant may have \(error.limit) endpoints; delete one first")
        } catch let error as IdempotencyKeyReused {
            throw APIError.idempotencyKeyReused(error.description)
        } catch let error as IdempotentAnswerExpired {
            throw APIError.idempotencyKeyExpired(
                "Idempotency-Key \"\(error.idempotencyKey)\" created endpoint \(error.endpointId) (created_at); a repeat is answered for "
                    + "\(HooklogStore.repeatAnswerWindowMs / 3_600_000) hours only, as its answer holds the signing secret: "
                    + "list the endpoints to find it, or give a new endpoint a key of its own",
                createdAtMs: error.createdAtMs
            )
        }
        var headers = HTTPFields()
        if created.isRepeat {
            headers[IdempotencyKeyHeader.replayedName] = "true"
        } else {
            context.logger.info("endpoint created", metadata: ["endpoint.id": "\(created.endpointId)"])
        }
        let json = created.state.json(id: created.endpointId, asOfMs: self.environment.clock(), extra: [("signing_secret", .string(created.state.signingSecret))])
        return json.response(status: .created, headers: headers)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        let tenantId = try context.tenantId()
        let parameters = try ListParameters(try QueryParameters(request, taking: ListParameters.pagingNames))
        let page = try self.environment.store.listEndpoints(tenantId: tenantId, after: parameters.cursor, limit: parameters.limit)
        let nowMs = self.environment.clock()
        return JSONValue.list(page.items.map { $0.json(asOfMs: nowMs) }, nextCursor: page.nextCursor?.text).response(status: .ok)
    }

    @Sendable func read(_ request: Request, context: APIRequestContext) async throws -> Response {
        try QueryParameters.refuseAny(in: request)
        let tenantId = try context.tenantId()
        let endpointId = try Self.endpointId(context)
        guard let state = try self.environment.store.endpoint(endpointId, tenantId: tenantId) else { throw Self.notFound(endpointId) }
        return state.json(id: endpointId, asOfMs: self.environment.clock()).response(status: .ok)
    }

    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> Response {
        try QueryParameters.refuseAny(in: request)
        let tenantId = try context.tenantId()
        let endpointId = try Self.endpointId(context)
        let bytes = try await request.collectBody(limitBytes: self.environment.configuration.maxBodyBytes)
        let body = try JSONBody.decode(UpdateBody.self, from: bytes)
        guard try self.environment.store.endpoint(endpointId, tenantId: tenantId) != nil else { throw Self.notFound(endpointId) }
        var change = EndpointChange()
        if let description = body.description {
            try Self.checkDescription(description)
            change.description = description
        }
        if let enabledEvents = body.enabledEvents {
            change.enabledEvents = try self.environment.subscriptions(enabledEvents)
        }
        if let name = body.profile {
            change.profile = try self.environment.profile(name).name
        }
        switch body.bearerToken {
        case .absent: break
        case .null: change.bearerToken = .clear
        case .value(let token):
            try Self.checkBearerToken(token)
            change.bearerToken = token.isEmpty ? .clear : .set(token)
        }
        // Given, it is set or cleared by its last member, as deliveries read a repeated key.
        if case .absent = body.hasMetadata {} else {
            change.metadata = try Self.metadata(of: bytes).map { .set($0) } ?? .clear
        }
        switch body.status {
        case nil: break
        case "enabled"?: change.isEnabled = true
        case "disabled"?: change.isEnabled = false
        case let other?: throw APIError.invalidField("status must be \"enabled\" or \"disabled\", not \(APIError.quoted(other))")
        }
        if let url = body.url {
            try await self.environment.checkDestination(url, field: "url", of: tenantId)
            change.url = url
        }
        // Judged on the endpoint as the change leaves it, in the command: a change made
        // meanwhile (another PATCH clearing the token) is taken into account.
        let environment = self.environment
        // An endpoint made before mid-call profiles took no events keeps its subscriptions
        // until a change names its profile or its events.
        let changesSubscriptions = change.profile != nil || change.enabledEvents != nil
        let validate: @Sendable (EndpointState) throws -> Void = { changed in
            let profile = try? environment.profile(changed.profile)
            if profile?.signatureScheme == .bearerToken && (changed.bearerToken ?? "").isEmpty {
                throw APIError.invalidField("the \(changed.profile) profile authenticates with bearer_token; give one")
            }
            if let profile, changesSubscriptions {
                try APIEnvironment.checkSubscriptions(changed.enabledEvents, of: profile)
            }
        }
        guard let state = try await self.environment.store.updateEndpoint(endpointId, tenantId: tenantId, change, nowMs: self.environment.clock(), validate: validate) else {
            throw Self.notFound(endpointId)
        }
        context.logger.info("endpoint changed", metadata: ["endpoint.id": "\(endpointId)"])
        return state.json(id: endpointId, asOfMs: self.environment.clock()).response(status: .ok)
    }

    @Sendable func delete(_ request: Request, context: APIRequestContext) async throws -> Response {
        try QueryParameters.refuseAny(in: request)
        let tenantId = try context.tenantId()
        try await request.refuseBody(limitBytes: self.environment.configuration.maxBodyBytes)
        let endpointId = try Self.endpointId(context)
        guard try await self.environment.store.deleteEndpoint(endpointId, tenantId: tenantId, nowMs: self.environment.clock()) else {
            throw Self.notFound(endpointId)
        }
        context.logger.info("endpoint deleted", metadata: ["endpoint.id": "\(endpointId)"])
        return Response(status: .noContent)
    }

    @Sendable func rotateSecret(_ request: Request, context: APIRequestContext) async throws -> Response {
        try QueryParameters.refuseAny(in: request)
        let tenantId = try context.tenantId()
        try await request.refuseBody(limitBytes: self.environment.configuration.maxBodyBytes)
        let endpointId = try Self.endpointId(context)
        // The secret is made for the profile's scheme before the journal is asked: a change of
        // profile in between is met by making it again, for the profile the endpoint has then.
        for _ in 0..<Self.maxRotationTries {
            guard let current = try self.environment.store.endpoint(endpointId, tenantId: tenantId) else { throw Self.notFound(endpointId) }
            let scheme = try self.environment.profile(current.profile).signatureScheme
            let secret = try APIEnvironment.newSecret(for: scheme)
            let graceMs = self.environment.rotationGraceMs(for: scheme)
            let nowMs = self.environment.clock()
            switch try await self.environment.store.rotateEndpointSecret(
                endpointId, tenantId: tenantId, newSecret: secret, madeFor: current.profile, gracePeriodMs: graceMs, nowMs: nowMs
            ) {
            case .rotated(let state):
                context.logger.info("endpoint secret rotated", metadata: ["endpoint.id": "\(endpointId)"])
                return state.json(id: endpointId, asOfMs: nowMs, extra: [
                    ("signing_secret", .string(secret)),
                    ("previous_secret_expires_at", graceMs > 0 ? .time(nowMs + graceMs) : .null),
                ]).response(status: .ok)
            case .notFound:
                throw Self.notFound(endpointId)
            case .profileChanged:
                continue
            }
        }
        throw APIError.conflict("the endpoint's profile kept changing while its secret was rotated; try again")
    }

    /// How many times a rotation is tried while the endpoint's profile changes under it.
    private static let maxRotationTries = 3

    private static func endpointId(_ context: APIRequestContext) throws -> EndpointID {
        let text = context.parameters.get("id") ?? ""
        guard let id = EndpointID.parse(text) else { throw APIError.notFound("no endpoint \(APIError.quoted(text))") }
        return id
    }

    private static func notFound(_ id: EndpointID) -> APIError {
        .notFound("no endpoint \(id)")
    }

    /// The largest `metadata` object kept, in bytes of JSON: an endpoint's row is read for
    /// every event its tenant posts.
    static let maxMetadataBytes = 16 << 10

    /// The request's `metadata` object as sent, if any; refuses (422) one past `maxMetadataBytes`.
    private static func metadata(of requestBody: [UInt8]) throws -> [UInt8]? {
        let metadata = try JSONObjectMembers(requestBody: requestBody).objectBytes("metadata")
        if let metadata, metadata.count > Self.maxMetadataBytes {
            throw APIError.invalidField("metadata must be at most \(Self.maxMetadataBytes) bytes of JSON")
        }
        return metadata
    }

    /// At most 1000 characters: Unicode scalars, as the schema's `maxLength` counts them.
    private static func checkDescription(_ description: String) throws {
        guard description.unicodeScalars.count <= 1_000 else { throw APIError.invalidField("description must be at most 1000 characters") }
    }

    /// A bearer token goes into the `Authorization` header: at most 4096 bytes, no control characters.
    private static func checkBearerToken(_ token: String?) throws {
        guard let token else { return }
        guard token.utf8.count <= 4_096, WireProfile.canCarryInHeader(token) else {
            throw APIError.invalidField("bearer_token must be at most 4096 bytes, without control characters")
        }
    }
}
