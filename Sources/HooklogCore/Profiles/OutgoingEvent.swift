/// What one delivery sends: the event as journaled, addressed to one endpoint.
public struct OutgoingEvent: Hashable, Sendable {
    /// The longest call id, in bytes, that a delivery carries in a header (the event's own, and
    /// one a profile copies from data): past it, receivers' servers refuse the request (431).
    public static let maxCallIdBytes = 256

    /// Whether `text` can be a call id in a header: 1 to `maxCallIdBytes` bytes, no control
    /// characters at all (C0, DEL, C1, and tab, which a header would carry but trim at its ends).
    public static func isUsableCallId(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= Self.maxCallIdBytes && !text.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    /// The event id (`evt_…`), the same on every attempt and replay.
    public var eventId: String
    /// The delivery id (`dlv_…`): one per event and endpoint.
    public var deliveryId: String
    /// The event type, e.g. `call.completed`.
    public var type: String
    /// When the event occurred (ms since the epoch), as the platform said or else its receipt time.
    public var occurredAtMs: Int64
    /// When Hooklog received the event (ms since the epoch).
    public var receivedAtMs: Int64
    /// The call the event belongs to, if any.
    public var callId: String?
    /// The raw JSON bytes of the event's `data`, exactly as the platform posted them.
    public var data: [UInt8]
    /// The raw JSON bytes of the event's `metadata`, if it had any.
    public var metadata: [UInt8]?

    /// An outgoing event.
    public init(
        eventId: String,
        deliveryId: String,
        type: String,
        occurredAtMs: Int64,
        receivedAtMs: Int64,
        callId: String? = nil,
        data: [UInt8],
        metadata: [UInt8]? = nil
    ) {
        self.eventId = eventId
        self.deliveryId = deliveryId
        self.type = type
        self.occurredAtMs = occurredAtMs
        self.receivedAtMs = receivedAtMs
        self.callId = callId
        self.data = data
        self.metadata = metadata
    }
}
