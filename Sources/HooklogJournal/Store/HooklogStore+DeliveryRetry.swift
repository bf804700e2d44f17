public import HooklogCore

/// What asking for a delivery to be sent again now did.
public enum DeliveryRetryOutcome: Sendable, Equatable {
    /// It is due now (reopened if it had finished); its state afterwards.
    case scheduled(DeliveryState)
    /// A repeat of a retry made with the same idempotency key: nothing new is journaled or sent;
    /// the delivery's state now.
    case repeated(DeliveryState)
    /// The tenant has no such delivery.
    case notFound
    /// An attempt is being sent right now; its result decides what follows.
    case inFlight
    /// Its endpoint was deleted or is disabled, so it would only be cancelled again.
    case endpointUnavailable
}

extension HooklogStore {
    /// Makes a delivery of `tenantId` due at `nowMs`: a waiting one moves up, a finished one
    /// (succeeded, failed or cancelled) is reopened, with `DeliveryRetryScheduled`.
    ///
    /// Within `repeatAnswerWindowMs` of a retry with `idempotencyKey`, a retry of the same
    /// delivery with the key is answered `.repeated` whatever the delivery has done since, and
    /// sends nothing again; the key with another delivery is refused (`IdempotencyKeyReused`).
    /// Past the window the key is free again, as Stripe forgets its keys: a client that names its
    /// keys after the delivery must not find, a day later, every retry answered and none sent.
    /// A retry refused (in flight, endpoint unavailable) takes no key.
    public func retryDelivery(_ deliveryId: DeliveryID, tenantId: TenantID, idempotencyKey: String? = nil, nowMs: UInt64) async throws -> DeliveryRetryOutcome {
        try await self.command { writer, snapshot -> DeliveryRetryOutcome in
            guard let delivery = try snapshot.projections.delivery(deliveryId), delivery.tenantId == tenantId else { return .notFound }
            if let idempotencyKey, let retried = try snapshot.projections.retriedDelivery(ofIdempotencyKey: idempotencyKey, tenantId: tenantId),
                try StoreCommands.retryTime(of: retried.deliveryId, at: retried.sequence, snapshot: snapshot) + HooklogStore.repeatAnswerWindowMs > nowMs
            {
                guard retried.deliveryId == deliveryId else { throw IdempotencyKeyReused(idempotencyKey: idempotencyKey, creation: .retry) }
                return .repeated(delivery)
            }
            guard delivery.status != .inFlight else { return .inFlight }
            if let endpointId = delivery.target.endpointId {
                guard let endpoint = try snapshot.projections.endpoint(endpointId, ownedBy: tenantId), endpoint.status == .enabled else {
                    return .endpointUnavailable
                }
            }
            try writer.append(.deliveryRetryScheduled(DeliveryRetryScheduled(deliveryId: deliveryId, dueAtMs: nowMs, idempotencyKey: idempotencyKey)))
            guard let state = try snapshot.projections.delivery(deliveryId) else { return .notFound }
            return .scheduled(state)
        }
    }
}

extension StoreCommands {
    /// When the manual retry of `deliveryId` journaled at `sequence` made it due.
    static func retryTime(of deliveryId: DeliveryID, at sequence: UInt64, snapshot: StoreSnapshot) throws -> UInt64 {
        guard case .deliveryRetryScheduled(let retry)? = try snapshot.record(at: sequence), retry.deliveryId == deliveryId else {
            throw ProjectionsDisagreeWithLog(description: "a retry's idempotency key: the record at sequence \(sequence) did not retry delivery \(deliveryId)")
        }
        return retry.dueAtMs
    }
}
