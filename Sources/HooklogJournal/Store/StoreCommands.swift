import HooklogCore

/// The decisions shared by several commands, each appending records through a command's writer.
enum StoreCommands {
    /// Journals an event and fans it out: one delivery per enabled endpoint of the tenant whose
    /// `enabled_events` match, plus one for the inline URL.
    ///
    /// The receipt and planning time is the batch's (`appendedAtMs`), not a caller's clock:
    /// batch times never go backwards, so the indexes that list events and deliveries grow in
    /// commit order and a listing's cursor never passes an entry that commits later.
    static func ingest(
        _ submission: EventSubmission,
        writer: inout LogWriter,
        snapshot: StoreSnapshot
    ) throws -> IngestedEvent {
        let nowMs = writer.appendedAtMs
        var random = IdentifierRandom()
        let eventId = EventID.generate(timeMs: nowMs, using: &random)
        let sequence = try writer.append(.eventReceived(EventReceived(
            tenantId: submission.tenantId,
            eventId: eventId,
            type: submission.type,
            rawBody: submission.rawBody,
            receivedAtMs: nowMs,
            occurredAtMs: submission.occurredAtMs,
            callId: submission.callId,
            idempotencyKey: submission.idempotencyKey,
            webhookURL: submission.webhookURL
        )))
        var targets: [DeliveryTarget] = []
        try snapshot.keys(in: .tenantEndpoints, withPrefix: ProjectionKeys.tenant(submission.tenantId)) { key in
            guard let endpointId = ProjectionKeys.trailingID(of: key, as: EndpointID.self),
                let endpoint = try snapshot.projections.endpoint(endpointId),
                endpoint.status == .enabled, endpoint.subscribes(to: submission.type)
            else { return true }
            targets.append(.endpoint(endpointId))
            return true
        }
        if let url = submission.webhookURL { targets.append(.inline(url: url)) }
        var deliveries: [IngestedEvent.PlannedDelivery] = []
        for target in targets {
            let deliveryId = DeliveryID.generate(timeMs: nowMs, using: &random)
            try writer.append(.deliveryPlanned(DeliveryPlanned(
                deliveryId: deliveryId,
                eventId: eventId,
                tenantId: submission.tenantId,
                target: target,
                plannedAtMs: nowMs
            )))
            deliveries.append(.init(deliveryId: deliveryId, endpointId: target.endpointId))
        }
        return IngestedEvent(eventId: eventId, sequence: sequence, deliveries: deliveries, isRepeat: false)
    }

    /// The first answer to an idempotency key that was used before, by event `eventId` journaled
    /// at `sequence`, rebuilt from the projections.
    static func repeatedAnswer(eventId: EventID, sequence: UInt64, snapshot: StoreSnapshot) throws -> IngestedEvent {
        var deliveries: [IngestedEvent.PlannedDelivery] = []
        try snapshot.keys(in: .eventDeliveries, withPrefix: ProjectionKeys.event(eventId)) { key in
            guard let deliveryId = ProjectionKeys.trailingID(of: key, as: DeliveryID.self) else { return true }
            let delivery = try snapshot.projections.delivery(deliveryId)
            deliveries.append(.init(deliveryId: deliveryId, endpointId: delivery?.target.endpointId))
            return true
        }
        return IngestedEvent(eventId: eventId, sequence: sequence, deliveries: deliveries, isRepeat: true)
    }

    /// Disables an endpoint, cancels what waits for it, and emits `endpoint.disabled`
    /// (`{endpoint_id, reason, disabled_at}`) to the tenant's other endpoints that subscribe to it.
    static func disable(
        _ endpointId: EndpointID,
        _ endpoint: EndpointState,
        reason: EndpointDisabledReason,
        nowMs: UInt64,
        writer: inout LogWriter,
        snapshot: StoreSnapshot
    ) throws {
        try writer.append(.endpointDisabled(EndpointDisabled(tenantId: endpoint.tenantId, endpointId: endpointId, reason: reason, disabledAtMs: nowMs)))
        for deliveryId in try Self.waitingDeliveries(to: endpointId, of: endpoint.tenantId, in: snapshot) {
            try writer.append(.deliveryCancelled(DeliveryCancelled(deliveryId: deliveryId, cancelledAtMs: nowMs, reason: .disabling(reason))))
        }
        var body = JSONBodyWriter()
        body.appendRaw("{\"type\":".utf8)
        body.appendString(EndpointHealthPolicy.disabledEventType)
        // Its id, not its URL: a URL may carry a secret token (as chat webhooks' do), and the
        // event goes to other receivers.
        body.appendRaw(",\"data\":{\"endpoint_id\":".utf8)
        body.appendString(endpointId.description)
        body.appendRaw(",\"reason\":".utf8)
        body.appendString(reason.name)
        body.appendRaw(",\"disabled_at\":".utf8)
        body.appendString(TimeFormat.rfc3339(instantMs: Int64(nowMs), millis: true) ?? "")
        body.appendRaw("}}".utf8)
        _ = try Self.ingest(
            EventSubmission(tenantId: endpoint.tenantId, type: EndpointHealthPolicy.disabledEventType, rawBody: body.bytes, occurredAtMs: nowMs),
            writer: &writer,
            snapshot: snapshot
        )
    }

    /// The deliveries of `tenantId` to `endpointId` that wait for an attempt, from its
    /// `targetDue` entries: as many reads as there are waiting deliveries, not as many as it ever
    /// had. (Another tenant's, left by an id deleted and created again, are not this endpoint's.)
    static func waitingDeliveries(to endpointId: EndpointID, of tenantId: TenantID, in snapshot: StoreSnapshot) throws -> [DeliveryID] {
        var waiting: [DeliveryID] = []
        try snapshot.keys(in: .targetDue, withPrefix: TargetKey(endpoint: endpointId).bytes) { key in
            if let deliveryId = ProjectionKeys.trailingID(of: key, as: DeliveryID.self),
                try snapshot.projections.tenantId(ofDelivery: deliveryId) == tenantId
            {
                waiting.append(deliveryId)
            }
            return true
        }
        return waiting
    }
}
