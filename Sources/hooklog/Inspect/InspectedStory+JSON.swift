import Foundation
import HooklogCore
import HooklogJournal

extension InspectedStory {
    /// The story for machines: `{"event", "deliveries", "records"}`, record fields as the export
    /// writes them (secrets redacted).
    func json() throws -> String {
        var event = try Self.object(RecordJSON.fields(of: .eventReceived(self.event)))
        if let body = String(validating: self.event.rawBody, as: UTF8.self) {
            event["raw_body"] = body
        } else {
            event["raw_body_base64"] = Base64.encode(self.event.rawBody)
        }
        let attemptsByDelivery = self.attemptsByDelivery()
        let deliveries: [[String: Any]] = self.deliveries.map { delivery in
            let state = delivery.state
            var object: [String: Any] = [
                "delivery_id": "\(delivery.id)",
                "status": state.status.name,
                "planned_at": Self.time(state.plannedAtMs),
                "attempts": (attemptsByDelivery[delivery.id] ?? []).map { attempt -> [String: Any] in
                    [
                        "attempt": attempt.number,
                        "started_at": Self.time(attempt.startedAtMs),
                        "finished_at": attempt.finishedAtMs.map(Self.time) ?? NSNull(),
                        "status_code": attempt.statusCode.map { Int($0) } ?? NSNull(),
                        "latency_ms": attempt.answerLatencyMs ?? NSNull(),
                        "error": attempt.errorKind?.name ?? NSNull(),
                        "replay_id": attempt.replayId.map { "\($0)" } ?? NSNull(),
                    ]
                },
            ]
            switch state.target {
            case .endpoint(let endpointId): object["endpoint_id"] = "\(endpointId)"
            case .inline(let url): object["inline_url"] = url
            }
            object["next_attempt_at"] = state.nextAttemptAtMs.map(Self.time) ?? NSNull()
            object["failure_reason"] = state.failureReason?.name ?? NSNull()
            object["cancel_reason"] = state.cancelReason?.name ?? NSNull()
            object["replay_id"] = state.replayId.map { "\($0)" } ?? NSNull()
            return object
        }
        let records: [[String: Any]] = try self.entries.map { entry in
            [
                "sequence": entry.sequence,
                "appended_at": Self.time(entry.appendedAtMs),
                "kind": entry.record.kind.name,
                "record": try Self.object(RecordJSON.fields(of: entry.record)),
            ]
        }
        let story: [String: Any] = ["event": event, "deliveries": deliveries, "records": records]
        let data = try JSONSerialization.data(withJSONObject: story, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    private static func object(_ json: [UInt8]) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any] else {
            throw CommandFailure("a record's fields are not a JSON object")
        }
        return object
    }
}
