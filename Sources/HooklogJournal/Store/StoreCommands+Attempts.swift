import HooklogCore

extension StoreCommands {
    /// Journals the start of the next attempt of a waiting delivery that is due by `nowMs`; `nil`
    /// when it is not waiting (already taken, finished or cancelled), not due yet, or its
    /// endpoint is gone, which cancels it. Throws when its tenant or event cannot be found
    /// (damaged projections), so that the scheduler holds it back and says so, rather than
    /// finding it due again at every scan.
    static func startAttempt(
        _ deliveryId: DeliveryID,
        nowMs: UInt64,
        writer: inout LogWriter,
        snapshot: StoreSnapshot
    ) throws -> AttemptJob? {
        // A claim made from an older snapshot may find the delivery tried since and waiting for
        // a later retry: started now, that retry would skip its backoff.
        guard let delivery = try snapshot.projections.delivery(deliveryId),
            delivery.status == .pending || delivery.status == .retrying,
            let dueAtMs = delivery.nextAttemptAtMs, dueAtMs <= nowMs
        else { return nil }
        let url: String
        let profile: String
        let secrets: SigningSecrets
        let bearerToken: String?
        switch delivery.target {
        case .endpoint(let endpointId):
            let endpoint = try snapshot.projections.endpoint(endpointId, ownedBy: delivery.tenantId)
            guard let endpoint, endpoint.status == .enabled else {
                let reason = StoreCommands.cancelReason(for: endpoint, disabledNowFor: nil)
                try writer.append(.deliveryCancelled(DeliveryCancelled(deliveryId: deliveryId, cancelledAtMs: nowMs, reason: reason)))
                return nil
            }
            url = endpoint.url
            profile = endpoint.profile
            secrets = SigningSecrets(current: endpoint.signingSecret, previous: endpoint.previousSecrets)
            bearerToken = endpoint.bearerToken
        case .inline(let inlineURL):
            guard let tenant = try snapshot.projections.tenant(delivery.tenantId) else {
                throw ProjectionsDisagreeWithLog(description: "delivery \(deliveryId) names tenant \(delivery.tenantId), which the projections do not hold")
            }
            url = inlineURL
            profile = tenant.inlineProfile
            secrets = SigningSecrets(current: tenant.defaultSigningSecret, previous: tenant.previousSigningSecrets)
            bearerToken = nil
        }
        guard let event = try snapshot.eventRecord(delivery.eventId) else {
            throw ProjectionsDisagreeWithLog(description: "delivery \(deliveryId) is of event \(delivery.eventId), whose record cannot be found")
        }
        let members = EventBodyMembers(rawBody: event.rawBody)
        let attemptNumber = delivery.attemptCount + 1
        try writer.append(.attemptStarted(AttemptStarted(
            deliveryId: deliveryId,
            attemptNumber: attemptNumber,
            startedAtMs: nowMs,
            replayId: delivery.replayId
        )))
        return AttemptJob(
            deliveryId: deliveryId,
            attemptNumber: attemptNumber,
            tenantId: delivery.tenantId,
            endpointId: delivery.target.endpointId,
            url: url,
            profile: profile,
            secrets: secrets,
            bearerToken: bearerToken,
            event: OutgoingEvent(
                eventId: event.eventId.description,
                deliveryId: deliveryId.description,
                type: event.type,
                occurredAtMs: Int64(event.occurredAtMs ?? event.receivedAtMs),
                receivedAtMs: Int64(event.receivedAtMs),
                callId: event.callId,
                data: members?.data ?? Array("{}".utf8),
                metadata: members?.metadata
            ),
            replayId: delivery.replayId
        )
    }

    /// The longest a delivery is held back, however often in a row.
    static let longestHoldBackMs: UInt64 = 300_000

    /// A hold-back twice as long for each attempt of the run held back or cut off right before (up to
    /// `longestHoldBackMs`): a resolver busy for an hour must not bring every due delivery round
    /// every few seconds, each round three synced records, with no retry used and no end.
    static func grownHoldBackMs(_ heldBackMs: UInt64, afterInterruptedAttempts count: Int) -> UInt64 {
        let (grown, overflow) = heldBackMs.multipliedReportingOverflow(by: 1 << UInt64(min(count, 20)))
        return overflow ? Self.longestHoldBackMs : min(grown, Self.longestHoldBackMs)
    }

    /// Journals the attempt's end and the decision that follows it.
    static func finishAttempt(
        _ job: AttemptJob,
        response: AttemptResponse,
        retries4xx: Bool,
        rules: DeliveryRules,
        nowMs: UInt64,
        writer: inout LogWriter,
        snapshot: StoreSnapshot
    ) throws -> AttemptConclusion {
        guard let delivery = try snapshot.projections.delivery(job.deliveryId), delivery.status == .inFlight,
            let attempt = delivery.attempts.last, attempt.number == job.attemptNumber, !attempt.isFinished
        else { return .stale }
        try writer.append(.attemptFinished(AttemptFinished(
            deliveryId: job.deliveryId,
            attemptNumber: job.attemptNumber,
            finishedAtMs: nowMs,
            statusCode: response.statusCode.map { UInt16(clamping: $0) },
            latencyMs: response.latencyMs,
            errorKind: response.errorKind,
            responseExcerpt: response.responseExcerpt
        )))
        if response.errorKind == .interrupted {
            // Cut off by a stop, or held back by Hooklog: not the endpoint's doing. Due again at
            // once (as after a crash, `recoverInterruptedAttempts`) or once held back long
            // enough, with no retry used and no health judged.
            let heldBackMs = response.heldBackMs.map { Self.grownHoldBackMs($0, afterInterruptedAttempts: delivery.interruptedAttemptsBeforeLatest) } ?? 0
            let (dueAtMs, overflow) = nowMs.addingReportingOverflow(heldBackMs)
            let due = overflow ? UInt64.max : dueAtMs
            try writer.append(.deliveryRetryScheduled(DeliveryRetryScheduled(deliveryId: job.deliveryId, dueAtMs: due)))
            return .retryScheduled(dueAtMs: due)
        }
        var random = SystemRandomNumberGenerator()
        var decision = rules.retry.decide(
            attemptNumber: delivery.attemptsInCurrentRun,
            outcome: response.outcome,
            retries4xx: retries4xx,
            askedDelayMs: response.retryAfter?.delayMs(fromMs: nowMs),
            nowMs: Int64(nowMs),
            using: &random
        )
        // The endpoint as this attempt left it (its failing streak included).
        let endpoint = try job.endpointId.flatMap { try snapshot.projections.endpoint($0, ownedBy: delivery.tenantId) }
        // A verdict from a URL the endpoint has left since the attempt started (changed while it
        // was out), a 410, a status not retried or the last retry used up, says nothing of the
        // URL it has now: the delivery goes there at once, and the endpoint stays enabled.
        switch decision {
        case .disableEndpoint, .failed:
            if let endpoint, !endpoint.postsTo(job.url) { decision = .retry(dueAtMs: Int64(nowMs)) }
        case .succeeded, .retry:
            break
        }
        var disableReason: EndpointDisabledReason?
        if case .disableEndpoint(let reason) = decision {
            disableReason = reason
        } else if decision != .succeeded, let endpoint, endpoint.status == .enabled,
            rules.health.shouldDisable(failingSinceMs: endpoint.failingSinceMs(asOfMs: nowMs).map { Int64($0) }, nowMs: Int64(nowMs))
        {
            disableReason = .failingTooLong
        }

        let conclusion: AttemptConclusion
        switch decision {
        case .succeeded:
            try writer.append(.deliverySucceeded(DeliverySucceeded(deliveryId: job.deliveryId, succeededAtMs: nowMs)))
            conclusion = .succeeded
        case .retry(let dueAtMs):
            if job.endpointId != nil && (disableReason != nil || endpoint?.status != .enabled) {
                let reason = StoreCommands.cancelReason(for: endpoint, disabledNowFor: disableReason)
                try writer.append(.deliveryCancelled(DeliveryCancelled(deliveryId: job.deliveryId, cancelledAtMs: nowMs, reason: reason)))
                conclusion = .cancelled
            } else {
                let dueAtMs = UInt64(max(dueAtMs, Int64(nowMs)))
                try writer.append(.deliveryRetryScheduled(DeliveryRetryScheduled(deliveryId: job.deliveryId, dueAtMs: dueAtMs)))
                conclusion = .retryScheduled(dueAtMs: dueAtMs)
            }
        case .failed(let reason):
            try writer.append(.deliveryFailed(DeliveryFailed(deliveryId: job.deliveryId, failedAtMs: nowMs, reason: reason)))
            conclusion = .failed(reason)
        case .disableEndpoint:
            try writer.append(.deliveryFailed(DeliveryFailed(deliveryId: job.deliveryId, failedAtMs: nowMs, reason: .endpointGone)))
            conclusion = .failed(.endpointGone)
        }
        if let disableReason, let endpointId = job.endpointId, let endpoint, endpoint.status == .enabled {
            try Self.disable(endpointId, endpoint, reason: disableReason, nowMs: nowMs, writer: &writer, snapshot: snapshot)
        }
        return conclusion
    }

    /// Why a delivery to `endpoint` is cancelled: it is gone (`nil`), or disabled, now for
    /// `disabledNowFor` or earlier for the reason its status keeps.
    static func cancelReason(for endpoint: EndpointState?, disabledNowFor reason: EndpointDisabledReason?) -> DeliveryCancelReason {
        guard let endpoint else { return .endpointDeleted }
        if let reason { return .disabling(reason) }
        if case .disabled(let reason, _) = endpoint.status { return .disabling(reason) }
        return .endpointDisabled
    }
}
