public import HooklogCore

/// What the record-stream generator believes the world looks like: a model written
/// independently of the reducer, so that the property test also checks the reducer against it.
///
/// Ids are kept in arrays so that random choices are reproducible from a seed (dictionary order
/// is not).
public struct WorldModel {
    public struct Endpoint {
        public let tenant: TenantID
        public var enabled = true
        public var deleted = false
    }

    public struct Delivery {
        public let tenant: TenantID
        public let endpoint: EndpointID?
        public var status = DeliveryStatus.pending
        public var attempts: UInt32 = 0
        public var lastFinished = false
        public var lastStatusCode: UInt16?
        public var lastSucceeded = false
        public var replay: ReplayID?
        public var dueAtMs: UInt64?
    }

    public var tenants: [TenantID] = []
    public var endpointIds: [EndpointID] = []
    public var endpoints: [EndpointID: Endpoint] = [:]
    public var events: [(id: EventID, tenant: TenantID)] = []
    public var idempotencyKeys: [(tenant: TenantID, key: String)] = []
    /// Each tenant's API key hash, and the hashes tenants held and let go of.
    public var apiKeyHashes: [TenantID: SHA256Digest] = [:]
    public var releasedAPIKeyHashes: [SHA256Digest] = []
    /// The keys endpoint creations took, apart from the events' keys.
    public var endpointIdempotencyKeys: [(tenant: TenantID, key: String)] = []
    /// The keys manual retries took, apart from the others.
    public var retryIdempotencyKeys: [(tenant: TenantID, key: String)] = []
    /// The keys the admin's tenant creations took.
    public var tenantIdempotencyKeys: [String] = []
    public var deliveryIds: [DeliveryID] = []
    public var deliveries: [DeliveryID: Delivery] = [:]
    public var replays: [(id: ReplayID, tenant: TenantID)] = []
    /// The replay requests' idempotency keys, by owner (`nil`: the admin).
    public var replayKeys: [(owner: TenantID?, key: String)] = []
    public var openInvocations: [InvocationID] = []
    public var apiKeyCounter: UInt64 = 0

    /// Endpoints that exist (not deleted).
    public var liveEndpoints: [EndpointID] {
        self.endpointIds.filter { self.endpoints[$0]?.deleted == false }
    }

    public func deliveries(where predicate: (Delivery) -> Bool) -> [DeliveryID] {
        self.deliveryIds.filter { predicate(self.deliveries[$0]!) }
    }

    /// Keeps the model in step with a record the generator emits (mirrors the reducer's rules,
    /// written separately on purpose).
    public mutating func note(_ record: Record) {
        switch record {
        case .tenantCreated(let r):
            self.tenants.append(r.tenantId)
            self.apiKeyHashes[r.tenantId] = r.apiKeyHash
            if let request = r.idempotentRequest { self.tenantIdempotencyKeys.append(request.key) }
        case .tenantAPIKeyRotated(let r):
            if let old = self.apiKeyHashes[r.tenantId] { self.releasedAPIKeyHashes.append(old) }
            self.releasedAPIKeyHashes.removeAll { $0 == r.apiKeyHash }
            self.apiKeyHashes[r.tenantId] = r.apiKeyHash
        case .tenantInlineSecretRotated:
            break
        case .endpointCreated(let r):
            self.endpointIds.append(r.endpointId)
            self.endpoints[r.endpointId] = Endpoint(tenant: r.tenantId)
            if let request = r.idempotentRequest { self.endpointIdempotencyKeys.append((r.tenantId, request.key)) }
        case .endpointDisabled(let r):
            self.endpoints[r.endpointId]!.enabled = false
        case .endpointEnabled(let r):
            self.endpoints[r.endpointId]!.enabled = true
        case .endpointDeleted(let r):
            self.endpoints[r.endpointId]!.deleted = true
        case .endpointUpdated, .endpointSecretRotated:
            break
        case .eventReceived(let r):
            self.events.append((r.eventId, r.tenantId))
            if let key = r.idempotencyKey { self.idempotencyKeys.append((r.tenantId, key)) }
        case .deliveryPlanned(let r):
            self.deliveryIds.append(r.deliveryId)
            self.deliveries[r.deliveryId] = Delivery(tenant: r.tenantId, endpoint: r.target.endpointId, dueAtMs: r.plannedAtMs)
        case .attemptStarted(let r):
            self.update(r.deliveryId) {
                $0.status = .inFlight
                $0.attempts += 1
                $0.lastFinished = false
                $0.dueAtMs = nil
            }
        case .attemptFinished(let r):
            self.update(r.deliveryId) {
                $0.lastFinished = true
                $0.lastStatusCode = r.statusCode
                $0.lastSucceeded = r.isSuccess
            }
        case .deliveryRetryScheduled(let r):
            self.update(r.deliveryId) {
                if $0.status != .pending { $0.status = .retrying }
                $0.dueAtMs = r.dueAtMs
                if let replay = r.replayId { $0.replay = replay }
            }
            if let key = r.idempotencyKey { self.retryIdempotencyKeys.append((self.deliveries[r.deliveryId]!.tenant, key)) }
        case .deliverySucceeded(let r):
            self.finish(r.deliveryId, .succeeded)
        case .deliveryFailed(let r):
            self.finish(r.deliveryId, .failed)
        case .deliveryCancelled(let r):
            self.finish(r.deliveryId, .cancelled)
        case .replayRequested(let r):
            self.replays.append((r.replayId, r.tenantId))
        case .replayAnswered(let r):
            self.replayKeys.append((r.tenantId, r.idempotencyKey))
        case .invocationStarted(let r):
            self.openInvocations.append(r.invocationId)
        case .invocationFinished(let r):
            self.openInvocations.removeAll { $0 == r.invocationId }
        }
    }

    private mutating func update(_ id: DeliveryID, _ change: (inout Delivery) -> Void) {
        change(&self.deliveries[id]!)
    }

    private mutating func finish(_ id: DeliveryID, _ status: DeliveryStatus) {
        self.update(id) {
            $0.status = status
            $0.dueAtMs = nil
            $0.replay = nil
        }
    }
}
