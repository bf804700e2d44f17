import HooklogCore

/// Records of every kind, from minimal to extreme, for codec tests.
enum RecordSamples {
    static let tenant = TenantID(rawValue: 1)
    static let endpoint = EndpointID(rawValue: UInt128.max)
    static let event = EventID(rawValue: 0x0123_4567_89AB_CDEF_0123_4567_89AB_CDEF)
    static let delivery = DeliveryID(rawValue: 0)
    static let replay = ReplayID(rawValue: 42)
    static let invocation = InvocationID(rawValue: UInt128(1) << 127)
    static let digest = SHA256Digest(bytes: (0..<32).map { UInt8($0) })!
    static let unicode = "Grüß Gott — 你好 — 🎉🇦🇹 — \u{0}"
    static let bodyBytes: [UInt8] = Array("{\"type\":\"call.completed\",\"data\":{\"x\":\"ä\"}}".utf8) + [0xFF, 0xFE, 0x00]

    /// One or more records of every kind; small enough to truncate at every offset.
    static var all: [Record] {
        [
            .tenantCreated(TenantCreated(tenantId: tenant, name: "", apiKeyHash: .zero, defaultSigningSecret: "", createdAtMs: 0)),
            .tenantCreated(TenantCreated(tenantId: tenant, name: unicode, apiKeyHash: digest, defaultSigningSecret: unicode, inlineProfile: "callingbox", createdAtMs: .max)),
            .tenantCreated(TenantCreated(
                tenantId: tenant, name: "Callina", apiKeyHash: digest, defaultSigningSecret: "whsec_x", createdAtMs: 5,
                idempotentRequest: IdempotentRequest(key: unicode, bodyDigest: digest)
            )),
            .tenantAPIKeyRotated(TenantAPIKeyRotated(tenantId: tenant, apiKeyHash: digest, rotatedAtMs: 1_700_000_000_000)),
            .tenantInlineSecretRotated(TenantInlineSecretRotated(
                tenantId: tenant, newSecret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", previousSecretValidUntilMs: .max, rotatedAtMs: 1_700_000_000_000
            )),
            .endpointCreated(EndpointCreated(
                endpointId: endpoint, tenantId: tenant, url: "https://example.com/hook", description: "",
                enabledEvents: [], profile: "standard", signingSecret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                bearerToken: nil, metadata: nil, createdAtMs: 1_700_000_000_000
            )),
            .endpointCreated(EndpointCreated(
                endpointId: endpoint, tenantId: tenant, url: "https://ü.example/" + unicode, description: unicode,
                enabledEvents: ["*", "call.completed", unicode, ""], profile: "calleague", signingSecret: "",
                bearerToken: "tok_\(unicode)", metadata: Array("{\"orderId\":\"A-1042\"}".utf8), createdAtMs: .max,
                idempotentRequest: IdempotentRequest(key: unicode, bodyDigest: digest)
            )),
            .endpointUpdated(EndpointUpdated(tenantId: nil, endpointId: endpoint, updatedAtMs: 5)),
            .endpointUpdated(EndpointUpdated(
                tenantId: tenant, endpointId: endpoint, url: "https://new", description: unicode, enabledEvents: [], profile: "callina",
                bearerToken: .clear, metadata: .set([]), updatedAtMs: .max
            )),
            .endpointUpdated(EndpointUpdated(tenantId: tenant, endpointId: endpoint, bearerToken: .set(""), metadata: .clear, updatedAtMs: 127)),
            .endpointSecretRotated(EndpointSecretRotated(tenantId: tenant, endpointId: endpoint, newSecret: "whsec_x", previousSecretValidUntilMs: 128, rotatedAtMs: 0)),
            .endpointDisabled(EndpointDisabled(tenantId: tenant, endpointId: endpoint, reason: .gone, disabledAtMs: 1)),
            .endpointDisabled(EndpointDisabled(tenantId: nil, endpointId: endpoint, reason: .failingTooLong, disabledAtMs: .max)),
            .endpointDisabled(EndpointDisabled(tenantId: tenant, endpointId: endpoint, reason: .byUser, disabledAtMs: 300)),
            .endpointEnabled(EndpointEnabled(tenantId: tenant, endpointId: endpoint, enabledAtMs: 16_383)),
            .endpointEnabled(EndpointEnabled(tenantId: nil, endpointId: endpoint, enabledAtMs: 0)),
            .endpointDeleted(EndpointDeleted(tenantId: tenant, endpointId: endpoint, deletedAtMs: 16_384)),
            .endpointDeleted(EndpointDeleted(tenantId: nil, endpointId: endpoint, deletedAtMs: 1)),
            .eventReceived(EventReceived(tenantId: tenant, eventId: event, type: "", rawBody: [], receivedAtMs: 0)),
            .eventReceived(EventReceived(
                tenantId: tenant, eventId: event, type: "call.completed", rawBody: bodyBytes, receivedAtMs: .max,
                occurredAtMs: 0, callId: "call_x1y2z3", idempotencyKey: unicode, webhookURL: "https://inline.example/cb"
            )),
            .eventReceived(EventReceived(
                tenantId: tenant, eventId: event, type: "t", rawBody: (0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 31) },
                receivedAtMs: 1, occurredAtMs: .max, callId: "", idempotencyKey: "", webhookURL: ""
            )),
            .deliveryPlanned(DeliveryPlanned(deliveryId: delivery, eventId: event, tenantId: tenant, target: .endpoint(endpoint), plannedAtMs: 0)),
            .deliveryPlanned(DeliveryPlanned(deliveryId: delivery, eventId: event, tenantId: tenant, target: .inline(url: unicode), plannedAtMs: .max)),
            .attemptStarted(AttemptStarted(deliveryId: delivery, attemptNumber: 1, startedAtMs: 10)),
            .attemptStarted(AttemptStarted(deliveryId: delivery, attemptNumber: .max, startedAtMs: .max, replayId: replay)),
            .attemptFinished(AttemptFinished(
                deliveryId: delivery, attemptNumber: 1, finishedAtMs: 20, statusCode: 200, latencyMs: 10, errorKind: nil
            )),
            .attemptFinished(AttemptFinished(
                deliveryId: delivery, attemptNumber: .max, finishedAtMs: .max, statusCode: .max, latencyMs: .max,
                errorKind: .other, responseExcerpt: [UInt8](repeating: 0xAB, count: AttemptFinished.maxResponseExcerptBytes)
            )),
            .attemptFinished(AttemptFinished(
                deliveryId: delivery, attemptNumber: 3, finishedAtMs: 99, statusCode: nil, latencyMs: 10_000,
                errorKind: .timeout, responseExcerpt: bodyBytes
            )),
            .deliveryRetryScheduled(DeliveryRetryScheduled(deliveryId: delivery, dueAtMs: 5_000)),
            .deliveryRetryScheduled(DeliveryRetryScheduled(deliveryId: delivery, dueAtMs: .max, replayId: replay)),
            .deliveryRetryScheduled(DeliveryRetryScheduled(deliveryId: delivery, dueAtMs: 6_000, idempotencyKey: unicode)),
            .deliverySucceeded(DeliverySucceeded(deliveryId: delivery, succeededAtMs: 1_234_567)),
            .deliveryFailed(DeliveryFailed(deliveryId: delivery, failedAtMs: 0, reason: .retriesExhausted)),
            .deliveryFailed(DeliveryFailed(deliveryId: delivery, failedAtMs: .max, reason: .endpointGone)),
            .deliveryCancelled(DeliveryCancelled(deliveryId: delivery, cancelledAtMs: 77, reason: .endpointDeleted)),
            .deliveryCancelled(DeliveryCancelled(deliveryId: delivery, cancelledAtMs: 78, reason: .endpointFailing)),
            .replayRequested(ReplayRequested(replayId: replay, tenantId: tenant, sinceMs: 0, untilMs: .max, statusFilter: .failed, requestedAtMs: 9)),
            .replayRequested(ReplayRequested(
                replayId: replay, tenantId: tenant, sinceMs: 100, untilMs: 200, endpointId: endpoint, statusFilter: .all,
                eventTypes: ["call.completed", unicode], requestedAtMs: .max
            )),
            .replayAnswered(ReplayAnswered(
                tenantId: tenant, idempotencyKey: "retry-1", requestDigest: SHA256Hasher.digest([1]), replayIds: [replay], unfinishedCount: 0, endpointDisabledCount: 0, answeredAtMs: 9
            )),
            .replayAnswered(ReplayAnswered(
                tenantId: nil, idempotencyKey: unicode, requestDigest: SHA256Hasher.digest([1]), replayIds: [], unfinishedCount: .max, endpointDisabledCount: 7, answeredAtMs: .max
            )),
            .invocationStarted(InvocationStarted(
                invocationId: invocation, tenantId: tenant, endpointId: nil, url: "https://mid.example", callId: nil,
                requestBody: [], budgetMs: 2_500, startedAtMs: 3
            )),
            .invocationStarted(InvocationStarted(
                invocationId: invocation, tenantId: tenant, endpointId: endpoint, url: unicode, callId: "call_1",
                requestBody: bodyBytes, budgetMs: .max, startedAtMs: .max
            )),
            .invocationFinished(InvocationFinished(
                invocationId: invocation, finishedAtMs: 4, statusCode: 200, responseBody: Array("{\"say\":\"ok\"}".utf8),
                latencyMs: 812, errorKind: nil
            )),
            .invocationFinished(InvocationFinished(
                invocationId: invocation, finishedAtMs: .max, statusCode: nil, responseBody: [], latencyMs: .max, errorKind: .refused
            )),
        ]
    }
}
