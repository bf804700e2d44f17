/// Where an envelope field's value comes from.
public enum EnvelopeSource: String, Codable, Sendable, CaseIterable {
    /// The event id (a JSON string), the same on every attempt and replay.
    case eventId
    /// The delivery id (a JSON string): one per event and endpoint.
    case deliveryId
    /// The event type, e.g. `"call.completed"`.
    case eventType
    /// The event's call id; absent when the event has none.
    case callId
    /// When the event occurred, written in the field's `timeFormat`.
    case occurredAt
    /// When Hooklog received the event, written in the field's `timeFormat`.
    case receivedAt
    /// The send time (the signing timestamp), written in the field's `timeFormat`.
    case sentAt
    /// The field's `constant` string.
    case constant
    /// The event's `data`, its bytes verbatim; with `metadataKey`, the event's metadata is echoed inside it.
    case data
    /// The value of the top-level member `member` of `data`, verbatim; absent when missing.
    case dataMember
    /// Every top-level member of `data`, spliced into the enclosing object (no `name`);
    /// members whose key the enclosing object already writes are left out.
    case dataMembers
    /// The event's metadata, verbatim; absent when the event has none.
    case metadata
    /// The value of the top-level member `member` of the event's metadata, verbatim; absent when missing.
    case metadataMember
    /// A nested object built from `fields`.
    case object

    /// Whether the source is an instant and takes a `timeFormat`.
    var isInstant: Bool {
        switch self {
        case .occurredAt, .receivedAt, .sentAt: true
        default: false
        }
    }
}
