public import HooklogCore

/// A mid-call invocation: call an endpoint now, while the caller is on the line.
public struct InvocationRequest: Sendable, Equatable {
    /// Whose call it is.
    public var tenantId: TenantID
    /// The endpoint called, when it is one of the tenant's; `nil` for a bare URL.
    public var endpointId: EndpointID?
    /// Where to POST.
    public var url: String
    /// The wire profile that shapes and signs the request, e.g. `callina-midcall`.
    public var profile: String
    /// The secrets that sign it, if the endpoint has any.
    public var secrets: SigningSecrets?
    /// A bearer token, for profiles that send one.
    public var bearerToken: String?
    /// What the assistant wants, e.g. `tool.invoked` or an `order-status` purpose.
    public var event: String
    /// The call (session) it happens in.
    public var callId: String?
    /// The arguments, as JSON bytes, passed through verbatim.
    public var params: [UInt8]
    /// Extra JSON the profile may echo (e.g. `fromNumber`, `toNumber`, `context`).
    public var metadata: [UInt8]?
    /// How long the caller can wait for an answer.
    public var budgetMs: UInt64
    /// What the assistant says when the budget runs out.
    public var waitingMessage: String?

    /// An invocation request.
    public init(
        tenantId: TenantID,
        endpointId: EndpointID? = nil,
        url: String,
        profile: String = "callina-midcall",
        secrets: SigningSecrets? = nil,
        bearerToken: String? = nil,
        event: String,
        callId: String? = nil,
        params: [UInt8] = Array("{}".utf8),
        metadata: [UInt8]? = nil,
        budgetMs: UInt64 = 2_500,
        waitingMessage: String? = nil
    ) {
        self.tenantId = tenantId
        self.endpointId = endpointId
        self.url = url
        self.profile = profile
        self.secrets = secrets
        self.bearerToken = bearerToken
        self.event = event
        self.callId = callId
        self.params = params
        self.metadata = metadata
        self.budgetMs = budgetMs
        self.waitingMessage = waitingMessage
    }
}

/// How an invocation ended (or that it has not yet).
public enum InvocationOutcome: Sendable, Equatable {
    /// Still running.
    case pending
    /// The endpoint answered 2xx; `response` is its body, verbatim.
    case completed(response: [UInt8], statusCode: Int, latencyMs: UInt64)
    /// It failed for good: a 4xx, or a 5xx or timeout on every try.
    case failed(statusCode: Int?, errorKind: AttemptErrorKind?, latencyMs: UInt64)
}

/// What the caller gets back within its budget.
public struct InvocationAnswer: Sendable, Equatable {
    /// The invocation's id (for `GET /v1/invocations/{id}`).
    public let invocationId: InvocationID
    /// `.completed` or `.failed` when it ended within the budget, `.pending` otherwise.
    public let outcome: InvocationOutcome
    /// What the assistant should say: the caller's waiting message while pending (`nil` when it
    /// gave none: the configured `waitingSay` stands), the fallback on failure.
    public let say: String?
    /// What the assistant should do after a failure (`transfer` or `voicemail`).
    public let nextAction: String?
}
