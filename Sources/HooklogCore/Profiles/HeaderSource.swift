/// Where a per-event header's value comes from.
public enum HeaderSource: String, Codable, Sendable, CaseIterable {
    /// The event id, the same on every attempt and replay.
    case eventId
    /// The delivery id.
    case deliveryId
    /// The event type.
    case eventType
    /// The event's call id (or the string at the template's `dataPath` inside data); the header
    /// is left out when the event has none, or none in ASCII (which alone a header carries as
    /// the same text to every receiver).
    case callId
    /// The header's `constant` string.
    case constant
}
