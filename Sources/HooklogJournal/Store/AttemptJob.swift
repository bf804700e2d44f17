public import HooklogCore

/// Everything the dispatcher needs to send one attempt, read in the transaction that started it.
public struct AttemptJob: Sendable, Equatable {
    /// The delivery.
    public let deliveryId: DeliveryID
    /// This attempt's number, from 1.
    public let attemptNumber: UInt32
    /// Whose delivery it is.
    public let tenantId: TenantID
    /// The endpoint; `nil` for an inline `webhook_url`.
    public let endpointId: EndpointID?
    /// Where to send it.
    public let url: String
    /// The wire profile's name.
    public let profile: String
    /// The secrets that sign it.
    public let secrets: SigningSecrets
    /// The endpoint's bearer token, for profiles that send one.
    public let bearerToken: String?
    /// The event as the profile renders it.
    public let event: OutgoingEvent
    /// The replay this attempt belongs to, if any.
    public let replayId: ReplayID?
}

/// How an attempt ended for its delivery.
public enum AttemptConclusion: Sendable, Equatable {
    /// A 2xx: delivered.
    case succeeded
    /// Another attempt is due then.
    case retryScheduled(dueAtMs: UInt64)
    /// Given up, for this reason.
    case failed(DeliveryFailureReason)
    /// The endpoint was disabled or deleted meanwhile.
    case cancelled
    /// The delivery had already moved on (it was not in flight with this attempt).
    case stale
}

extension AttemptConclusion: CustomStringConvertible {
    /// As a log shows it: `succeeded`, `retry due 2026-…Z`, `failed (exhausted)`, `cancelled`, `stale`.
    public var description: String {
        switch self {
        case .succeeded: "succeeded"
        case .retryScheduled(let dueAtMs): "retry due " + (TimeFormat.rfc3339(instantMs: Int64(clamping: dueAtMs), millis: true) ?? "at \(dueAtMs) ms")
        case .failed(let reason): "failed (\(reason.name))"
        case .cancelled: "cancelled"
        case .stale: "stale"
        }
    }
}
