import HooklogCore
import HooklogJournal

extension StoredEndpoint {
    /// The endpoint object of the API as of `nowMs`; never its secret or bearer token.
    func json(asOfMs nowMs: UInt64) -> JSONValue {
        self.state.json(id: self.id, asOfMs: nowMs)
    }
}

extension EndpointState {
    /// The endpoint object of the API as of `nowMs` (its health changes with time alone: a run of
    /// failures ends `EndpointState.failingRunBreakMs` after its latest failure); `extra` members
    /// (a secret shown once) come last.
    func json(id: EndpointID, asOfMs nowMs: UInt64, extra: [(String, JSONValue)] = []) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("id", .string(id.description)),
            ("url", .string(self.url)),
            ("description", .string(self.description)),
            ("enabled_events", .array(self.enabledEvents.map(JSONValue.string))),
            ("profile", .string(self.profile)),
            ("status", .string(self.status.name)),
            ("disabled_reason", .optional(self.status.disabledReason?.name)),
            ("has_bearer_token", .bool(!(self.bearerToken ?? "").isEmpty)),
            ("metadata", self.metadata.map(JSONValue.raw) ?? .null),
            ("created_at", .time(self.createdAtMs)),
            ("updated_at", .time(self.updatedAtMs)),
            ("last_success_at", .time(self.lastSuccessAtMs)),
            ("failing_since", .time(self.failingSinceMs(asOfMs: nowMs))),
        ]
        members += extra
        return .object(members)
    }
}
