public import HooklogCore

/// An endpoint with its id, as queries return it.
public struct StoredEndpoint: Sendable, Equatable {
    /// The endpoint's id.
    public let id: EndpointID
    /// Its configuration and health.
    public let state: EndpointState

    /// An endpoint with its id.
    public init(id: EndpointID, state: EndpointState) {
        self.id = id
        self.state = state
    }
}

/// A delivery with its id, as queries return it.
public struct StoredDelivery: Sendable, Equatable {
    /// The delivery's id.
    public let id: DeliveryID
    /// Its status and latest attempts.
    public let state: DeliveryState

    /// A delivery with its id.
    public init(id: DeliveryID, state: DeliveryState) {
        self.id = id
        self.state = state
    }
}

/// An event as it was received, with its deliveries, as queries return it.
public struct StoredEvent: Sendable, Equatable {
    /// The log sequence of its `EventReceived` record.
    public let sequence: UInt64
    /// The record: type, raw body, times, call id.
    public let record: EventReceived
    /// Its deliveries in fan-out order (replays reopen these, they add none).
    public let deliveries: [StoredDelivery]

    /// An event with its deliveries.
    public init(sequence: UInt64, record: EventReceived, deliveries: [StoredDelivery]) {
        self.sequence = sequence
        self.record = record
        self.deliveries = deliveries
    }
}

/// Which events a listing returns: received in `[sinceMs, untilMs)`, of one type if given.
public struct EventQuery: Sendable, Equatable {
    /// Received at or after this time, in milliseconds since 1970.
    public var sinceMs: UInt64?
    /// Received before this time, in milliseconds since 1970.
    public var untilMs: UInt64?
    /// Only events of this type.
    public var type: String?

    /// A query; every filter is off unless given.
    public init(sinceMs: UInt64? = nil, untilMs: UInt64? = nil, type: String? = nil) {
        self.sinceMs = sinceMs
        self.untilMs = untilMs
        self.type = type
    }
}

/// Which deliveries a listing returns: planned in `[sinceMs, untilMs)`, to one endpoint and in
/// one status if given.
public struct DeliveryQuery: Sendable, Equatable {
    /// Only deliveries to this endpoint.
    public var endpointId: EndpointID?
    /// Only deliveries in this status.
    public var status: DeliveryStatus?
    /// Planned at or after this time, in milliseconds since 1970.
    public var sinceMs: UInt64?
    /// Planned before this time, in milliseconds since 1970.
    public var untilMs: UInt64?

    /// A query; every filter is off unless given.
    public init(endpointId: EndpointID? = nil, status: DeliveryStatus? = nil, sinceMs: UInt64? = nil, untilMs: UInt64? = nil) {
        self.endpointId = endpointId
        self.status = status
        self.sinceMs = sinceMs
        self.untilMs = untilMs
    }
}
