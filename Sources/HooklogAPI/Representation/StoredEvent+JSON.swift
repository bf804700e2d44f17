import HooklogCore
import HooklogJournal

extension StoredEvent {
    /// The event object of the API: its `data` and `metadata` exactly as posted, its deliveries in brief.
    var json: JSONValue {
        let record = self.record
        let members = EventBodyMembers(rawBody: record.rawBody)
        return .object([
            ("id", .string(record.eventId.description)),
            ("seq", .int(Int64(clamping: self.sequence))),
            ("type", .string(record.type)),
            ("call_id", .optional(record.callId)),
            ("occurred_at", .time(record.occurredAtMs)),
            ("received_at", .time(record.receivedAtMs)),
            ("idempotency_key", .optional(record.idempotencyKey)),
            ("webhook_url", .optional(record.webhookURL)),
            ("data", members.map { .raw($0.data) } ?? .null),
            ("metadata", members?.metadata.map(JSONValue.raw) ?? .null),
            ("deliveries", .array(self.deliveries.map { delivery -> JSONValue in
                .object([
                    ("id", .string(delivery.id.description)),
                    ("endpoint_id", .optional(delivery.state.target.endpointId?.description)),
                    ("status", .string(delivery.state.status.name)),
                ])
            })),
        ])
    }
}
