import HooklogCore
import HooklogJournal

extension StoredEndpoint {
    /// The endpoint object of the API; never its secret or bearer token.
    var json: JSONValue {
        self.state.json(id: self.id)
    }
}

extension EndpointState {
    /// The endpoint object of the API; `extra` members (a secret shown once) come last.
    func json(id: EndpointID, extra: [(String, JSONValue)] = []) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("id", .string(id.description)),
            ("url", .string(self.url)),
            ("description", .string(self.description)),
            ("enabled_events", .array(self.enabledEvents.map(JSONValue.string))),
            ("profile", .string(self.profile)),
            ("status", .string(self.status.name)),
            ("disabled_reason", .optional(self.status.disabledReason?.name)),
            ("has_bearer_token", .bool(self.bearerToken != nil)),
            ("metadata", self.metadata.map(JSONValue.raw) ?? .null),
            ("created_at", .time(self.createdAtMs)),
            ("updated_at", .time(self.updatedAtMs)),
            ("last_success_at", .time(self.lastSuccessAtMs)),
            ("failing_since", .time(self.failingSinceMs)),
        ]
        members += extra
        return .object(members)
    }
}
