public import HooklogCore

/// An event as a platform posted it (the API has checked it), ready to journal.
public struct EventSubmission: Sendable, Equatable {
    /// Whose event it is.
    public var tenantId: TenantID
    /// Its type, e.g. `call.completed`.
    public var type: String
    /// The request body, byte for byte.
    public var rawBody: [UInt8]
    /// When it happened, if the platform said.
    public var occurredAtMs: UInt64?
    /// The call it belongs to.
    public var callId: String?
    /// The `Idempotency-Key` header.
    public var idempotencyKey: String?
    /// A URL that receives this event in addition to the tenant's endpoints.
    public var webhookURL: String?

    /// An event submission.
    public init(
        tenantId: TenantID,
        type: String,
        rawBody: [UInt8],
        occurredAtMs: UInt64? = nil,
        callId: String? = nil,
        idempotencyKey: String? = nil,
        webhookURL: String? = nil
    ) {
        self.tenantId = tenantId
        self.type = type
        self.rawBody = rawBody
        self.occurredAtMs = occurredAtMs
        self.callId = callId
        self.idempotencyKey = idempotencyKey
        self.webhookURL = webhookURL
    }
}

/// What ingesting an event did: its id, its place in the log and the deliveries it planned.
public struct IngestedEvent: Sendable, Equatable {
    /// One planned delivery.
    public struct PlannedDelivery: Sendable, Equatable {
        /// The delivery.
        public let deliveryId: DeliveryID
        /// Its endpoint; `nil` for the inline `webhook_url`.
        public let endpointId: EndpointID?
    }

    /// The event's id: what every receiver sees, on every attempt.
    public let eventId: EventID
    /// The sequence of its `EventReceived` record.
    public let sequence: UInt64
    /// Its deliveries, in fan-out order.
    public let deliveries: [PlannedDelivery]
    /// Whether this answers a repeated idempotency key (nothing new was journaled).
    public let isRepeat: Bool
}
