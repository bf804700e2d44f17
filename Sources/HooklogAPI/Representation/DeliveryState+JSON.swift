import HooklogCore
import HooklogJournal

extension StoredDelivery {
    /// The delivery object of the API, with its latest attempts.
    var json: JSONValue {
        let state = self.state
        var target: String?
        if case .inline(let url) = state.target { target = url }
        return .object([
            ("id", .string(self.id.description)),
            ("event_id", .string(state.eventId.description)),
            ("endpoint_id", .optional(state.target.endpointId?.description)),
            ("webhook_url", .optional(target)),
            ("status", .string(state.status.name)),
            ("created_at", .time(state.plannedAtMs)),
            ("next_attempt_at", .time(state.nextAttemptAtMs)),
            ("finished_at", .time(state.finishedAtMs)),
            ("failure_reason", .optional(state.failureReason?.name)),
            ("cancel_reason", .optional(state.cancelReason?.name)),
            ("replay_id", .optional(state.replayId?.description)),
            ("attempt_count", .int(Int64(state.attemptCount))),
            ("attempts", .array(state.attempts.map(\.json))),
        ])
    }
}

extension AttemptSummary {
    /// One attempt: when, the answer's status or the error, how long.
    var json: JSONValue {
        .object([
            ("number", .int(Int64(self.number))),
            ("started_at", .time(self.startedAtMs)),
            ("finished_at", .time(self.finishedAtMs)),
            ("status_code", self.statusCode.map { .int(Int64($0)) } ?? .null),
            ("error", .optional(self.errorKind?.name)),
            ("latency_ms", self.answerLatencyMs.map { .int(Int64(clamping: $0)) } ?? .null),
            ("replay_id", .optional(self.replayId?.description)),
        ])
    }
}
