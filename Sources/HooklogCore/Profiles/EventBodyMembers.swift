/// The parts of an event's raw request body (`{type, data, metadata?, …}`) that receivers get
/// verbatim: the `data` value and the `metadata` value, as the bytes the platform posted.
public struct EventBodyMembers: Sendable, Equatable {
    /// The `data` value's bytes; `{}` when the body has none.
    public let data: [UInt8]
    /// The `metadata` value's bytes, when the body has one that is not `null`.
    public let metadata: [UInt8]?

    /// Finds the members in `rawBody`; `nil` when it is not one JSON object.
    public init?(rawBody: [UInt8]) {
        guard let members = try? JSONObjectMembers(rawBody) else { return nil }
        func value(_ key: String) -> [UInt8]? {
            members.kind(of: key) == .null ? nil : members.value(of: key)
        }
        self.data = value("data") ?? Array("{}".utf8)
        self.metadata = value("metadata")
    }
}
