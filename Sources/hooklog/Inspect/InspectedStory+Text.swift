import HooklogCore

extension InspectedStory {
    /// The story as a person reads it: the event, each delivery with its attempts, then every
    /// record in log order.
    var text: String {
        var lines: [String] = []
        let event = self.event
        lines.append("event \(self.eventId)  \(event.type)  tenant \(event.tenantId)")
        var facts = ["received \(Self.time(event.receivedAtMs))"]
        if let occurredAtMs = event.occurredAtMs { facts.append("occurred \(Self.time(occurredAtMs))") }
        if let callId = event.callId { facts.append("call \(callId)") }
        if let key = event.idempotencyKey { facts.append("idempotency key \(key)") }
        facts.append("body \(event.rawBody.count) bytes")
        lines.append("  " + facts.joined(separator: ", "))
        let attemptsByDelivery = self.attemptsByDelivery()
        for delivery in self.deliveries {
            lines.append("")
            lines.append("delivery \(delivery.id)  to \(Self.target(delivery.state.target))  \(Self.status(delivery.state))")
            var table = TextTable(header: ["attempt", "started", "finished", "status", "latency", "error", "replay"])
            let attempts = attemptsByDelivery[delivery.id] ?? []
            for attempt in attempts {
                table.append([
                    "\(attempt.number)",
                    Self.time(attempt.startedAtMs),
                    attempt.finishedAtMs.map(Self.time) ?? "in flight",
                    attempt.statusCode.map { "\($0)" } ?? "-",
                    attempt.answerLatencyMs.map { "\($0) ms" } ?? "-",
                    attempt.errorKind?.name ?? "-",
                    attempt.replayId.map { "\($0)" } ?? "-",
                ])
            }
            lines += attempts.isEmpty ? ["  no attempts yet"] : table.lines()
        }
        lines.append("")
        lines.append("records")
        var records = TextTable(header: ["sequence", "appended at", "kind", "details"])
        for entry in self.entries {
            records.append(["\(entry.sequence)", Self.time(entry.appendedAtMs), entry.record.kind.name, Self.details(of: entry.record)])
        }
        lines += records.lines()
        return lines.joined(separator: "\n")
    }

    private static func status(_ state: DeliveryState) -> String {
        var text = state.status.name
        if let reason = state.failureReason { text += " (\(reason.name))" }
        if let reason = state.cancelReason { text += " (\(reason.name))" }
        if let next = state.nextAttemptAtMs { text += ", next attempt \(Self.time(next))" }
        if let replayId = state.replayId { text += ", replayed by \(replayId)" }
        return text
    }

    private static func target(_ target: DeliveryTarget) -> String {
        switch target {
        case .endpoint(let endpointId): "\(endpointId)"
        case .inline(let url): url
        }
    }

    private static func details(of record: Record) -> String {
        switch record {
        case .eventReceived(let value): "\(value.eventId) \(value.type), \(value.rawBody.count) bytes"
        case .deliveryPlanned(let value): "\(value.deliveryId) to \(Self.target(value.target))"
        case .attemptStarted(let value): "\(value.deliveryId) attempt \(value.attemptNumber)" + (value.replayId.map { " for \($0)" } ?? "")
        case .attemptFinished(let value):
            "\(value.deliveryId) attempt \(value.attemptNumber): "
                + (value.statusCode.map { "\($0)" } ?? value.errorKind?.name ?? "no answer")
                + (value.answerLatencyMs.map { " in \($0) ms" } ?? "")
        case .deliveryRetryScheduled(let value):
            "\(value.deliveryId) due \(Self.time(value.dueAtMs))" + (value.replayId.map { " for \($0)" } ?? "")
                + (value.idempotencyKey.map { " (Idempotency-Key \"\($0)\")" } ?? "")
        case .deliverySucceeded(let value): "\(value.deliveryId)"
        case .deliveryFailed(let value): "\(value.deliveryId) \(value.reason.name)"
        case .deliveryCancelled(let value): "\(value.deliveryId) \(value.reason.name)"
        default: ""
        }
    }

    static func time(_ ms: UInt64) -> String {
        TimeFormat.rfc3339(instantMs: Int64(clamping: ms), millis: true) ?? "\(ms) ms"
    }
}
