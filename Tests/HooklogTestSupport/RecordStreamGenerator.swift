public import HooklogCore

/// Makes random but valid record streams, one command at a time, as Hooklog's commands and
/// dispatcher would journal them: fan-out, attempts with random outcomes, retries with jitter,
/// successes, failures, 410s, disables with their cancellations, rotations, replays, invocations.
public struct RecordStreamGenerator {
    public private(set) var model = WorldModel()
    private var random: SeededGenerator
    private var clockMs: UInt64

    public init(seed: UInt64) {
        self.random = SeededGenerator(seed: seed)
        self.clockMs = 1_700_000_000_000 + seed % 1_000_000
    }

    /// The records of one command (one write request), already noted in the model.
    public mutating func nextCommand() -> [Record] {
        self.clockMs += UInt64.random(in: 0...3_000, using: &self.random)
        while true {
            let records = self.attempt(Int.random(in: 0..<100, using: &self.random))
            if !records.isEmpty {
                for record in records { self.model.note(record) }
                return records
            }
        }
    }

    // MARK: Commands

    private mutating func attempt(_ roll: Int) -> [Record] {
        switch roll {
        case ..<3: return self.createTenant()
        case ..<4: return self.random.chance(0.5) ? self.rotateAPIKey() : self.rotateInlineSecret()
        case ..<10: return self.createEndpoint()
        case ..<13: return self.updateEndpoint()
        case ..<15: return self.rotateSecret()
        case ..<17: return self.disableEndpoint()
        case ..<19: return self.enableEndpoint()
        case ..<20: return self.deleteEndpoint()
        case ..<34: return self.receiveEvent()
        case ..<50: return self.startAttempt()
        case ..<66: return self.finishAttempt()
        case ..<82: return self.decide()
        case ..<85: return self.reschedule()
        case ..<87: return self.manualRetry()
        case ..<90: return self.requestReplay()
        case ..<92: return self.cancelByUser()
        case ..<96: return self.startInvocation()
        default: return self.finishInvocation()
        }
    }

    private mutating func rotateAPIKey() -> [Record] {
        guard let tenant = self.maybePick(self.model.tenants) else { return [] }
        // Sometimes a key some tenant let go of: the index entry passes from one row to another.
        let released = self.random.chance(0.5) ? self.maybePick(self.model.releasedAPIKeyHashes) : nil
        let apiKeyHash = released ?? self.newAPIKeyHash()
        return [.tenantAPIKeyRotated(TenantAPIKeyRotated(tenantId: tenant, apiKeyHash: apiKeyHash, rotatedAtMs: self.clockMs))]
    }

    private mutating func rotateInlineSecret() -> [Record] {
        guard let tenant = self.maybePick(self.model.tenants) else { return [] }
        return [.tenantInlineSecretRotated(TenantInlineSecretRotated(
            tenantId: tenant, newSecret: "whsec_\(self.random.next())", previousSecretValidUntilMs: self.clockMs + 86_400_000, rotatedAtMs: self.clockMs
        ))]
    }

    /// The hash of an API key no tenant has had.
    private mutating func newAPIKeyHash() -> SHA256Digest {
        self.model.apiKeyCounter += 1
        var keyBytes = [UInt8](repeating: 0, count: 24)
        keyBytes += (0..<8).map { UInt8(truncatingIfNeeded: self.model.apiKeyCounter >> (8 * (7 - $0))) }
        return SHA256Digest(bytes: keyBytes)!
    }

    private mutating func createTenant() -> [Record] {
        let apiKeyHash = self.newAPIKeyHash()
        // Sometimes with a key, at times one the admin's replays used: the tenants' keys are apart.
        var idempotentRequest: IdempotentRequest?
        if self.random.chance(0.3) {
            let replayKeys = self.model.replayKeys.filter { $0.owner == nil }.map(\.key)
            let candidate = self.random.chance(0.3) ? (self.maybePick(replayKeys) ?? "tenant-\(self.random.next())") : "tenant-\(self.random.next())"
            if !self.model.tenantIdempotencyKeys.contains(candidate) {
                idempotentRequest = IdempotentRequest(key: candidate, bodyDigest: SHA256Hasher.digest(Array(candidate.utf8)))
            }
        }
        return [.tenantCreated(TenantCreated(
            tenantId: self.newID(), name: self.pick(["Acme", "Callina GmbH", "Ärzte 🩺", ""]),
            apiKeyHash: apiKeyHash, defaultSigningSecret: "whsec_\(self.model.apiKeyCounter)", inlineProfile: self.pick(["standard", "callingbox"]),
            createdAtMs: self.clockMs, idempotentRequest: idempotentRequest
        ))]
    }

    private mutating func createEndpoint() -> [Record] {
        guard let tenant = self.maybePick(self.model.tenants) else { return [] }
        var idempotentRequest: IdempotentRequest?
        if self.random.chance(0.3) {
            // Sometimes a key the tenant's events used: the endpoints' keys are apart.
            let eventKeys = self.model.idempotencyKeys.filter { $0.tenant == tenant }.map(\.key)
            let usedHere = Set(self.model.endpointIdempotencyKeys.filter { $0.tenant == tenant }.map(\.key))
            let candidate = self.random.chance(0.3) ? (self.maybePick(eventKeys) ?? "ep-\(self.random.next())") : "ep-\(self.random.next())"
            if !usedHere.contains(candidate) {
                idempotentRequest = IdempotentRequest(key: candidate, bodyDigest: SHA256Hasher.digest(Array(candidate.utf8)))
            }
        }
        return [.endpointCreated(EndpointCreated(
            endpointId: self.newID(), tenantId: tenant, url: "https://receiver\(Int.random(in: 0...9, using: &self.random)).example/hook",
            description: self.pick(["", "CRM sync", "Produktion"]), enabledEvents: self.pick([["*"], ["call.completed"], ["call.started", "call.failed"]]),
            profile: self.pick(["standard", "callingbox", "callina", "calleague", "callaro"]), signingSecret: "whsec_\(self.random.next())",
            bearerToken: self.random.chance(0.3) ? "tok_\(self.random.next())" : nil,
            metadata: self.random.chance(0.3) ? Array("{\"orderId\":\"A-\(self.random.next() % 1000)\"}".utf8) : nil,
            createdAtMs: self.clockMs, idempotentRequest: idempotentRequest
        ))]
    }

    private mutating func updateEndpoint() -> [Record] {
        guard let endpoint = self.maybePick(self.model.liveEndpoints) else { return [] }
        return [.endpointUpdated(EndpointUpdated(
            tenantId: self.namedTenant(of: endpoint),
            endpointId: endpoint,
            url: self.random.chance(0.5) ? "https://moved.example/\(self.random.next() % 100)" : nil,
            description: self.random.chance(0.3) ? "changed" : nil,
            enabledEvents: self.random.chance(0.3) ? ["*"] : nil,
            profile: self.random.chance(0.2) ? "standard" : nil,
            bearerToken: self.pick([.keep, .clear, .set("tok_new")]),
            metadata: self.pick([.keep, .clear, .set(Array("{}".utf8))]),
            updatedAtMs: self.clockMs
        ))]
    }

    private mutating func rotateSecret() -> [Record] {
        guard let endpoint = self.maybePick(self.model.liveEndpoints) else { return [] }
        return [.endpointSecretRotated(EndpointSecretRotated(
            tenantId: self.namedTenant(of: endpoint),
            endpointId: endpoint, newSecret: "whsec_\(self.random.next())", previousSecretValidUntilMs: self.clockMs + 86_400_000, rotatedAtMs: self.clockMs
        ))]
    }

    private mutating func disableEndpoint() -> [Record] {
        let enabled = self.model.liveEndpoints.filter { self.model.endpoints[$0]!.enabled }
        guard let endpoint = self.maybePick(enabled) else { return [] }
        let reason: EndpointDisabledReason = self.pick([.byUser, .failingTooLong])
        return [.endpointDisabled(EndpointDisabled(tenantId: self.namedTenant(of: endpoint), endpointId: endpoint, reason: reason, disabledAtMs: self.clockMs))]
            + self.cancelWaiting(of: endpoint, reason: .disabling(reason))
    }

    private mutating func enableEndpoint() -> [Record] {
        let disabled = self.model.liveEndpoints.filter { !self.model.endpoints[$0]!.enabled }
        guard let endpoint = self.maybePick(disabled) else { return [] }
        return [.endpointEnabled(EndpointEnabled(tenantId: self.namedTenant(of: endpoint), endpointId: endpoint, enabledAtMs: self.clockMs))]
    }

    private mutating func deleteEndpoint() -> [Record] {
        guard let endpoint = self.maybePick(self.model.liveEndpoints) else { return [] }
        return [.endpointDeleted(EndpointDeleted(tenantId: self.namedTenant(of: endpoint), endpointId: endpoint, deletedAtMs: self.clockMs))]
            + self.cancelWaiting(of: endpoint, reason: .endpointDeleted)
    }

    private mutating func receiveEvent() -> [Record] {
        guard let tenant = self.maybePick(self.model.tenants) else { return [] }
        let eventId: EventID = self.newID()
        var idempotencyKey: String?
        if self.random.chance(0.3) {
            // Sometimes a key another tenant used already: keys are per tenant.
            let others = self.model.idempotencyKeys.filter { $0.tenant != tenant }.map(\.key)
            let usedHere = Set(self.model.idempotencyKeys.filter { $0.tenant == tenant }.map(\.key))
            let candidate = self.random.chance(0.3) ? (self.maybePick(others) ?? "key-\(self.random.next())") : "key-\(self.random.next())"
            idempotencyKey = usedHere.contains(candidate) ? nil : candidate
        }
        let webhookURL = self.random.chance(0.15) ? "https://inline.example/\(self.random.next() % 10)" : nil
        let body = self.random.bytes(Int.random(in: 0...300, using: &self.random))
        var records: [Record] = [.eventReceived(EventReceived(
            tenantId: tenant, eventId: eventId, type: self.pick(["call.started", "call.completed", "transcript.ready"]), rawBody: body,
            receivedAtMs: self.clockMs, occurredAtMs: self.random.chance(0.5) ? self.clockMs - 500 : nil,
            callId: self.random.chance(0.7) ? "call_\(self.random.next() % 100)" : nil, idempotencyKey: idempotencyKey, webhookURL: webhookURL
        ))]
        let targets = self.model.liveEndpoints.filter { self.model.endpoints[$0]!.tenant == tenant && self.model.endpoints[$0]!.enabled }
        for endpoint in targets where self.random.chance(0.85) {
            records.append(.deliveryPlanned(DeliveryPlanned(deliveryId: self.newID(), eventId: eventId, tenantId: tenant, target: .endpoint(endpoint), plannedAtMs: self.clockMs)))
        }
        if let webhookURL {
            records.append(.deliveryPlanned(DeliveryPlanned(deliveryId: self.newID(), eventId: eventId, tenantId: tenant, target: .inline(url: webhookURL), plannedAtMs: self.clockMs)))
        }
        return records
    }

    private mutating func startAttempt() -> [Record] {
        guard let id = self.maybePick(self.model.deliveries { $0.status.isWaiting }) else { return [] }
        let delivery = self.model.deliveries[id]!
        return [.attemptStarted(AttemptStarted(deliveryId: id, attemptNumber: delivery.attempts + 1, startedAtMs: self.clockMs, replayId: delivery.replay))]
    }

    private mutating func finishAttempt() -> [Record] {
        guard let id = self.maybePick(self.model.deliveries { $0.status == .inFlight && !$0.lastFinished }) else { return [] }
        let delivery = self.model.deliveries[id]!
        let latencyMs = UInt64.random(in: 1...10_000, using: &self.random)
        let statusCode: UInt16? = self.pick([200, 200, 201, 204, 400, 404, 410, 429, 500, 502, 503, nil, nil])
        let errorKind: AttemptErrorKind? = statusCode == nil ? self.pick(AttemptErrorKind.allCases) : nil
        var records: [Record] = [.attemptFinished(AttemptFinished(
            deliveryId: id, attemptNumber: delivery.attempts, finishedAtMs: self.clockMs, statusCode: statusCode, latencyMs: latencyMs,
            errorKind: errorKind, responseExcerpt: self.random.bytes(Int.random(in: 0...40, using: &self.random))
        ))]
        if errorKind == .interrupted {
            // Crash recovery journals the interruption and a retry together.
            records.append(.deliveryRetryScheduled(DeliveryRetryScheduled(deliveryId: id, dueAtMs: self.clockMs)))
        }
        return records
    }

    private mutating func decide() -> [Record] {
        guard let id = self.maybePick(self.model.deliveries { $0.status == .inFlight && $0.lastFinished }) else { return [] }
        let delivery = self.model.deliveries[id]!
        let endpoint = delivery.endpoint.flatMap { self.model.endpoints[$0] }
        if delivery.lastSucceeded {
            return [.deliverySucceeded(DeliverySucceeded(deliveryId: id, succeededAtMs: self.clockMs))]
        }
        if let endpointId = delivery.endpoint, let endpoint, !endpoint.deleted, endpoint.enabled, delivery.lastStatusCode == 410 {
            return [
                .deliveryFailed(DeliveryFailed(deliveryId: id, failedAtMs: self.clockMs, reason: .endpointGone)),
                .endpointDisabled(EndpointDisabled(tenantId: endpoint.tenant, endpointId: endpointId, reason: .gone, disabledAtMs: self.clockMs)),
            ] + self.cancelWaiting(of: endpointId, reason: .endpointFailing)
        }
        if let endpoint, endpoint.deleted || !endpoint.enabled {
            return [.deliveryCancelled(DeliveryCancelled(deliveryId: id, cancelledAtMs: self.clockMs, reason: endpoint.deleted ? .endpointDeleted : .endpointDisabled))]
        }
        if self.random.chance(0.65) {
            let jitteredDelayMs = UInt64.random(in: 0...20_000, using: &self.random)
            return [.deliveryRetryScheduled(DeliveryRetryScheduled(deliveryId: id, dueAtMs: self.clockMs + jitteredDelayMs))]
        }
        return [.deliveryFailed(DeliveryFailed(deliveryId: id, failedAtMs: self.clockMs, reason: self.pick([.retriesExhausted, .notRetryable])))]
    }

    private mutating func reschedule() -> [Record] {
        guard let id = self.maybePick(self.model.deliveries { $0.status.isWaiting }) else { return [] }
        // Sometimes the very time it is due already.
        let dueAtMs = self.random.chance(0.3) ? self.model.deliveries[id]!.dueAtMs! : self.clockMs
        // At times a manual retry moving it up, with a key.
        let idempotencyKey = self.random.chance(0.3) ? self.retryKey(for: id) : nil
        return [.deliveryRetryScheduled(DeliveryRetryScheduled(deliveryId: id, dueAtMs: dueAtMs, idempotencyKey: idempotencyKey))]
    }

    private mutating func manualRetry() -> [Record] {
        guard let id = self.maybePick(self.model.deliveries { $0.status.isFinished }) else { return [] }
        return [.deliveryRetryScheduled(DeliveryRetryScheduled(deliveryId: id, dueAtMs: self.clockMs, idempotencyKey: self.retryKey(for: id)))]
    }

    /// Now and then a manual retry's idempotency key: sometimes one the tenant's events or
    /// endpoints used (the retries' keys are apart), or one its retries took (a later retry
    /// takes it over).
    private mutating func retryKey(for id: DeliveryID) -> String? {
        guard self.random.chance(0.5) else { return nil }
        let tenant = self.model.deliveries[id]!.tenant
        let usedKeys = (self.model.idempotencyKeys + self.model.endpointIdempotencyKeys + self.model.retryIdempotencyKeys).filter { $0.tenant == tenant }
        return self.random.chance(0.3) ? (self.maybePick(usedKeys.map(\.key)) ?? "retry-\(self.random.next())") : "retry-\(self.random.next())"
    }

    private mutating func requestReplay() -> [Record] {
        guard let tenant = self.maybePick(self.model.tenants) else { return [] }
        let filter: ReplayStatusFilter = self.pick([.failed, .all])
        let matched = self.model.deliveries {
            $0.tenant == tenant && (filter == .all ? $0.status.isFinished : $0.status == .failed)
        }
        let replayId: ReplayID = self.newID()
        var records: [Record] = [.replayRequested(ReplayRequested(
            replayId: replayId, tenantId: tenant, sinceMs: self.clockMs - 100_000, untilMs: self.clockMs,
            endpointId: self.random.chance(0.2) ? self.maybePick(self.model.endpointIds) : nil, statusFilter: filter,
            eventTypes: self.random.chance(0.2) ? ["call.completed"] : nil, requestedAtMs: self.clockMs
        ))]
        for id in matched.prefix(6) {
            records.append(.deliveryRetryScheduled(DeliveryRetryScheduled(deliveryId: id, dueAtMs: self.clockMs, replayId: replayId)))
        }
        if self.random.chance(0.3) {
            // A key of the tenant's or the admin's; sometimes one an event of the tenant took,
            // which replays may use too.
            let owner: TenantID? = self.random.chance(0.7) ? tenant : nil
            let eventKey = self.model.idempotencyKeys.first { $0.tenant == tenant }?.key
            let candidate = self.random.chance(0.3) ? (eventKey ?? "replay-\(self.random.next())") : "replay-\(self.random.next())"
            if !self.model.replayKeys.contains(where: { $0.owner == owner && $0.key == candidate }) {
                records.append(.replayAnswered(ReplayAnswered(
                    tenantId: owner, idempotencyKey: candidate, requestDigest: SHA256Hasher.digest(Array(candidate.utf8)), replayIds: [replayId],
                    unfinishedCount: self.random.next() % 3,
                    endpointDisabledCount: self.random.next() % 2, answeredAtMs: self.clockMs
                )))
            }
        }
        return records
    }

    private mutating func cancelByUser() -> [Record] {
        guard let id = self.maybePick(self.model.deliveries { $0.status.isWaiting }) else { return [] }
        return [.deliveryCancelled(DeliveryCancelled(deliveryId: id, cancelledAtMs: self.clockMs, reason: .byUser))]
    }

    private mutating func startInvocation() -> [Record] {
        guard let tenant = self.maybePick(self.model.tenants) else { return [] }
        let endpoint = self.maybePick(self.model.liveEndpoints.filter { self.model.endpoints[$0]!.tenant == tenant })
        return [.invocationStarted(InvocationStarted(
            invocationId: self.newID(), tenantId: tenant, endpointId: endpoint, url: "https://mid.example/lookup",
            callId: self.random.chance(0.8) ? "call_\(self.random.next() % 100)" : nil,
            requestBody: self.random.bytes(Int.random(in: 0...100, using: &self.random)), budgetMs: 2_500, startedAtMs: self.clockMs
        ))]
    }

    private mutating func finishInvocation() -> [Record] {
        guard let id = self.maybePick(self.model.openInvocations) else { return [] }
        let statusCode: UInt16? = self.pick([200, 500, nil])
        return [.invocationFinished(InvocationFinished(
            invocationId: id, finishedAtMs: self.clockMs, statusCode: statusCode, responseBody: self.random.bytes(Int.random(in: 0...100, using: &self.random)),
            latencyMs: UInt64.random(in: 1...5_000, using: &self.random), errorKind: statusCode == nil ? .timeout : nil
        ))]
    }

    // MARK: Records the reducer must reject

    /// A record that cannot happen in a correct log at this point, or `nil` if none fits now.
    public mutating func impossibleRecord() -> Record? {
        let model = self.model
        switch Int.random(in: 0..<14, using: &self.random) {
        case 0:
            return .eventReceived(EventReceived(tenantId: self.newID(), eventId: self.newID(), type: "x", rawBody: [], receivedAtMs: self.clockMs))
        case 1:
            guard let id = self.maybePick(model.deliveries { $0.status != .inFlight }) else { return nil }
            return .attemptFinished(AttemptFinished(deliveryId: id, attemptNumber: model.deliveries[id]!.attempts, finishedAtMs: self.clockMs, statusCode: 200, latencyMs: 1, errorKind: nil))
        case 2:
            guard let id = self.maybePick(model.deliveries { $0.status == .inFlight }) else { return nil }
            return .attemptStarted(AttemptStarted(deliveryId: id, attemptNumber: model.deliveries[id]!.attempts + 1, startedAtMs: self.clockMs))
        case 3:
            guard let id = self.maybePick(model.deliveryIds), let event = model.events.first else { return nil }
            return .deliveryPlanned(DeliveryPlanned(deliveryId: id, eventId: event.id, tenantId: event.tenant, target: .inline(url: "https://x"), plannedAtMs: 1))
        case 4:
            guard let id = self.maybePick(model.deliveries { $0.status.isWaiting || $0.status.isFinished }) else { return nil }
            return .deliverySucceeded(DeliverySucceeded(deliveryId: id, succeededAtMs: self.clockMs))
        case 5:
            guard let id = self.maybePick(model.liveEndpoints.filter { model.endpoints[$0]!.enabled }) else { return nil }
            return .endpointEnabled(EndpointEnabled(tenantId: model.endpoints[id]!.tenant, endpointId: id, enabledAtMs: self.clockMs))
        case 6:
            guard let id = self.maybePick(model.endpointIds.filter { model.endpoints[$0]!.deleted }) else { return nil }
            let endpoint = model.endpoints[id]!
            guard let event = model.events.first(where: { $0.tenant == endpoint.tenant }) else { return nil }
            return .deliveryPlanned(DeliveryPlanned(deliveryId: self.newID(), eventId: event.id, tenantId: endpoint.tenant, target: .endpoint(id), plannedAtMs: 1))
        case 7:
            guard let used = self.maybePick(model.idempotencyKeys.map { $0 }) else { return nil }
            return .eventReceived(EventReceived(tenantId: used.tenant, eventId: self.newID(), type: "x", rawBody: [], receivedAtMs: 1, idempotencyKey: used.key))
        case 8:
            // An endpoint record naming a tenant that is not the endpoint's.
            guard let id = self.maybePick(model.liveEndpoints), let stranger = model.tenants.first(where: { $0 != model.endpoints[id]!.tenant }) else { return nil }
            return .endpointUpdated(EndpointUpdated(tenantId: stranger, endpointId: id, description: "taken", updatedAtMs: self.clockMs))
        case 10:
            // A rotation to the key another tenant holds.
            guard let tenant = self.maybePick(model.tenants), let taken = model.apiKeyHashes.first(where: { $0.key != tenant })?.value else { return nil }
            return .tenantAPIKeyRotated(TenantAPIKeyRotated(tenantId: tenant, apiKeyHash: taken, rotatedAtMs: self.clockMs))
        case 9:
            // A second endpoint under a key an endpoint creation of its tenant took.
            guard let used = self.maybePick(model.endpointIdempotencyKeys.map { $0 }) else { return nil }
            return .endpointCreated(EndpointCreated(
                endpointId: self.newID(), tenantId: used.tenant, url: "https://x", description: "", enabledEvents: ["*"], profile: "standard",
                signingSecret: "whsec_x", bearerToken: nil, metadata: nil, createdAtMs: self.clockMs,
                idempotentRequest: IdempotentRequest(key: used.key, bodyDigest: .zero)
            ))
        case 12:
            // A second tenant under a key a tenant creation took.
            guard let used = self.maybePick(model.tenantIdempotencyKeys) else { return nil }
            return .tenantCreated(TenantCreated(
                tenantId: self.newID(), name: "again", apiKeyHash: self.newAPIKeyHash(), defaultSigningSecret: "whsec_x", createdAtMs: self.clockMs,
                idempotentRequest: IdempotentRequest(key: used, bodyDigest: .zero)
            ))
        case 11:
            // A retry with a key while an attempt is out, which no request makes.
            guard let id = self.maybePick(model.deliveries { $0.status == .inFlight && $0.lastFinished }) else { return nil }
            return .deliveryRetryScheduled(DeliveryRetryScheduled(deliveryId: id, dueAtMs: self.clockMs, idempotencyKey: "retry-in-flight"))
        default:
            guard let id = self.maybePick(model.deliveries { $0.status.isWaiting }) else { return nil }
            let delivery = model.deliveries[id]!
            return .attemptStarted(AttemptStarted(deliveryId: id, attemptNumber: delivery.attempts + 2, startedAtMs: self.clockMs, replayId: delivery.replay))
        }
    }

    // MARK: Helpers

    private mutating func cancelWaiting(of endpoint: EndpointID, reason: DeliveryCancelReason) -> [Record] {
        self.model.deliveries { $0.endpoint == endpoint && $0.status.isWaiting }.map {
            .deliveryCancelled(DeliveryCancelled(deliveryId: $0, cancelledAtMs: self.clockMs, reason: reason))
        }
    }

    private mutating func newID<Kind>() -> PrefixedID<Kind> {
        PrefixedID.generate(timeMs: self.clockMs, using: &self.random)
    }

    /// The tenant an endpoint record names: its endpoint's, or none at times, as codec version 1
    /// wrote them.
    private mutating func namedTenant(of endpoint: EndpointID) -> TenantID? {
        self.random.chance(0.2) ? nil : self.model.endpoints[endpoint]!.tenant
    }

    private mutating func pick<Item>(_ items: [Item]) -> Item {
        items[Int.random(in: 0..<items.count, using: &self.random)]
    }

    private mutating func maybePick<Item>(_ items: [Item]) -> Item? {
        items.isEmpty ? nil : self.pick(items)
    }
}
