import HooklogCore
import HooklogDelivery
import HooklogJournal
public import Hummingbird
import Logging
import ServiceLifecycle

/// `/v1/invoke` and `/v1/invocations`: call an endpoint while a caller is on the line and answer
/// within the budget (the endpoint's JSON, the waiting message once the call's start is on disk,
/// or the fallback), and long-poll
/// for an invocation's late result.
public struct InvocationRoutes: Sendable {
    /// The default budget, as the second seed describes (2.5 s).
    static let defaultBudgetMs: Int64 = 2_500
    /// The budgets accepted, in milliseconds.
    static let budgetRangeMs: ClosedRange<Int64> = 50...30_000
    /// The longest `?wait=` accepted, in milliseconds.
    static let maxWaitMs: Int64 = 30_000
    /// The longest `waiting_message` accepted, in characters (Unicode scalars, as the schema's `maxLength` counts).
    static let maxWaitingMessageCharacters = 1_000
    /// The longest `event` accepted, in characters.
    static let maxEventCharacters = 256

    let environment: APIEnvironment

    /// The routes over `environment`.
    public init(environment: APIEnvironment) {
        self.environment = environment
    }

    /// The route to mount at `/v1/invoke`.
    public var invokeRoutes: RouteCollection<APIRequestContext> {
        let routes = RouteCollection(context: APIRequestContext.self)
        routes.post(use: self.invoke)
        return routes
    }

    /// The route to mount at `/v1/invocations`.
    public var routes: RouteCollection<APIRequestContext> {
        let routes = RouteCollection(context: APIRequestContext.self)
        routes.get(":id", use: self.read)
        return routes
    }

    private struct InvokeBody: RequestBody {
        let endpointId: String?
        let url: String?
        let event: String
        let callId: String?
        let params: JSONObjectShape?
        let budgetMs: Int64?
        let waitingMessage: String?
        let metadata: JSONObjectShape?
        let profile: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case url, event, params, metadata, profile
            case endpointId = "endpoint_id"
            case callId = "call_id"
            case budgetMs = "budget_ms"
            case waitingMessage = "waiting_message"
        }
    }

    @Sendable func invoke(_ request: Request, context: APIRequestContext) async throws -> Response {
        try QueryParameters.refuseAny(in: request)
        // The budget runs from here: parsing, lookups and the call all spend it.
        let arrivedAt = ContinuousClock.now
        let tenantId = try context.tenantId()
        let invoker = try self.invoker()
        let bytes = try await request.collectBody(limitBytes: self.environment.configuration.maxBodyBytes)
        let body = try JSONBody.decode(InvokeBody.self, from: bytes)
        let invocation = try await self.invocationRequest(body, bytes, tenantId: tenantId)
        let answer: InvocationAnswer
        do {
            answer = try await invoker.invoke(invocation, arrivedAt: arrivedAt)
        } catch {
            switch error {
            case .tooManyRunningCalls(let limit):
                throw APIError.busy("\(limit) mid-call invocations are running, the most at once; try again shortly")
            case .tooManyRunningCallsOfTenant(let limit):
                throw APIError.tooManyRunningCalls("\(limit) of this tenant's mid-call invocations are running, the most one tenant may; try again shortly")
            case .cannotRender(let reason):
                throw APIError.invalidField("the request cannot be sent under profile \(invocation.profile): \(reason)")
            }
        }
        return self.json(answer.outcome, id: answer.invocationId, say: answer.say).response(status: .ok)
    }

    @Sendable func read(_ request: Request, context: APIRequestContext) async throws -> Response {
        let tenantId = try context.tenantId()
        let invoker = try self.invoker()
        let waitMs = try Self.waitMs(request)
        let text = context.parameters.get("id") ?? ""
        guard let id = InvocationID.parse(text) else { throw APIError.notFound("no invocation \(APIError.quoted(text))") }
        guard try self.belongs(id, to: tenantId, asKnownTo: invoker) else { throw APIError.notFound("no invocation \(APIError.quoted(text))") }
        // A stop ends the wait (the answer is then as it stands): a long poll must not hold the
        // server's graceful shutdown up for its whole wait.
        let waited = try await cancelWhenGracefulShutdown { try await invoker.outcome(of: id, waitingUpTo: .milliseconds(waitMs)) }
        guard let outcome = waited else {
            throw APIError.notFound("no invocation \(APIError.quoted(text))")
        }
        // A pending invocation says its caller's waiting message again, as its first answer did.
        let say = outcome == .pending ? invoker.waitingMessageOfRunningInvocation(id) : nil
        return self.json(outcome, id: id, say: say).response(status: .ok)
    }

    // MARK: Parts

    private func invoker() throws -> MidCallInvoker {
        guard let invoker = self.environment.invoker else { throw APIError.notReady("mid-call invocations are not served here") }
        return invoker
    }

    /// Checks `body` and resolves its endpoint (or URL) into what the invoker sends.
    private func invocationRequest(_ body: InvokeBody, _ bytes: [UInt8], tenantId: TenantID) async throws -> InvocationRequest {
        guard (body.endpointId == nil) != (body.url == nil) else {
            throw APIError.invalidField("give exactly one of endpoint_id and url")
        }
        guard !body.event.isEmpty, body.event.unicodeScalars.count <= Self.maxEventCharacters else {
            throw APIError.invalidField("event must be 1 to \(Self.maxEventCharacters) characters, e.g. tool.invoked or order-status")
        }
        let budgetMs = body.budgetMs ?? Self.defaultBudgetMs
        guard Self.budgetRangeMs.contains(budgetMs) else {
            throw APIError.invalidField("budget_ms must be \(Self.budgetRangeMs.lowerBound) to \(Self.budgetRangeMs.upperBound)")
        }
        if let callId = body.callId { try EventRoutes.checkCallId(callId) }
        if let message = body.waitingMessage, message.unicodeScalars.count > Self.maxWaitingMessageCharacters {
            throw APIError.invalidField("waiting_message must be at most \(Self.maxWaitingMessageCharacters) characters")
        }
        let members = try JSONObjectMembers(requestBody: bytes)
        let params = try members.objectBytes("params") ?? Array("{}".utf8)
        let metadata = try members.objectBytes("metadata")
        let requestedProfile = try body.profile.map { try self.environment.profile($0).name }

        var invocation = InvocationRequest(
            tenantId: tenantId,
            url: body.url ?? "",
            profile: requestedProfile ?? MidCallProfiles.defaultName,
            event: body.event,
            callId: body.callId,
            params: params,
            metadata: metadata,
            budgetMs: UInt64(budgetMs),
            waitingMessage: body.waitingMessage
        )
        if let text = body.endpointId {
            guard let endpointId = EndpointID.parse(text), let endpoint = try self.environment.store.endpoint(endpointId, tenantId: tenantId) else {
                throw APIError.notFound("no endpoint \(APIError.quoted(text))")
            }
            guard endpoint.status == .enabled else { throw APIError.conflict("endpoint \(APIError.quoted(text)) is disabled; enable it first") }
            invocation.endpointId = endpointId
            invocation.url = endpoint.url
            invocation.secrets = SigningSecrets(current: endpoint.signingSecret, previous: endpoint.previousSecrets)
            invocation.bearerToken = endpoint.bearerToken
            // A mid-call endpoint's own profile applies unless the request names one.
            if requestedProfile == nil, try self.environment.profile(endpoint.profile).isForMidCall {
                invocation.profile = endpoint.profile
            }
        } else {
            try self.environment.checkDestinationWithoutLookup(invocation.url, field: "url")
        }
        return invocation
    }

    /// Whether invocation `id` is `tenantId`'s. One this process still runs may not be journaled
    /// yet; it is open in the invoker until its result is.
    private func belongs(_ id: InvocationID, to tenantId: TenantID, asKnownTo invoker: MidCallInvoker) throws -> Bool {
        if let running = invoker.tenantOfRunningInvocation(id) { return running == tenantId }
        let state = try self.environment.store.read { snapshot in try snapshot.projections.invocation(id) }
        return state?.tenantId == tenantId
    }

    private static func waitMs(_ request: Request) throws -> Int64 {
        guard let text = try QueryParameters(request, taking: ["wait"])["wait"].map(String.init) else { return 0 }
        // The default, as the document gives it, needs no unit.
        if text == "0" { return 0 }
        guard let waitMs = try? DurationParser.milliseconds(text), waitMs <= Self.maxWaitMs else {
            throw APIError.invalidParameter("wait must be a duration such as 500ms or 5s, at most 30s")
        }
        return waitMs
    }

    /// `completed` (the endpoint's JSON spliced in as it came, or as a string when it is not
    /// JSON), `pending` (with the request's waiting message, else the generic one) or `failed`
    /// (with the fallback, and why: the endpoint's status, or the error that left no answer).
    private func json(_ outcome: InvocationOutcome, id: InvocationID, say: String?) -> JSONValue {
        let invocationId: (String, JSONValue) = ("invocation_id", .string(id.description))
        switch outcome {
        case .completed(let response, _, let latencyMs):
            let spliced: JSONValue = JSONBytes.isOneValue(response) ? .raw(response) : .string(String(decoding: response, as: UTF8.self))
            return .object([("status", .string("completed")), ("response", spliced), ("latency_ms", .int(Int64(clamping: latencyMs))), invocationId])
        case .pending:
            let waitingSay = self.environment.configuration.midCall.waitingSay
            return .object([("status", .string("pending")), ("say", .string(say ?? waitingSay)), invocationId])
        case .failed(let statusCode, let errorKind, _):
            let fallback = self.environment.configuration.midCall
            var members: [(String, JSONValue)] = [
                ("status", .string("failed")),
                ("say", .string(say ?? fallback.fallbackSay)),
                ("next_action", .string(fallback.fallbackNextAction)),
            ]
            if fallback.fallbackNextAction == "transfer", let transferTo = fallback.fallbackTransferTo {
                members.append(("transfer_to", .string(transferTo)))
            }
            members.append(("status_code", statusCode.map { .int(Int64($0)) } ?? .null))
            members.append(("error", .optional(errorKind?.name)))
            return .object(members + [invocationId])
        }
    }
}

/// The wire profiles made for mid-call invocations.
enum MidCallProfiles {
    /// The profile used unless the request or its endpoint names another.
    static let defaultName = "callina-midcall"
}
