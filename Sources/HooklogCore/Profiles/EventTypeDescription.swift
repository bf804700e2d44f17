/// One entry of the event-type catalog: a type and what it means.
public struct EventTypeDescription: Hashable, Sendable, Codable {
    /// The event type, e.g. `call.completed`.
    public var type: String
    /// When the event is emitted.
    public var description: String

    /// An entry for `type`.
    public init(type: String, description: String) {
        self.type = type
        self.description = description
    }
}
