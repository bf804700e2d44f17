/// Why the reducer rejected a record: it describes something that cannot happen in a correct
/// log (an unknown or duplicate object, an impossible transition), or the state could not be read.
///
/// Errors compare equal when they have the same reason; `detail` says exactly what was wrong.
public struct ReducerError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Reason: Sendable, Equatable {
        case unknownTenant
        case unknownEndpoint
        case unknownEvent
        case unknownDelivery
        case unknownReplay
        case unknownInvocation
        case duplicate
        case tenantMismatch
        case invalidTransition
        case attemptMismatch
        case corruptProjection
        case readFailed
    }

    private let reason: Reason
    /// What exactly was wrong, for logs.
    public let detail: String
    /// The error that the projection store threw, for `readFailed`.
    public let underlying: (any Error)?

    private init(_ reason: Reason, _ detail: String = "", underlying: (any Error)? = nil) {
        self.reason = reason
        self.detail = detail
        self.underlying = underlying
    }

    /// A record names a tenant that does not exist.
    public static var unknownTenant: Self { Self(.unknownTenant) }
    /// A record names an endpoint that does not exist (or was deleted).
    public static var unknownEndpoint: Self { Self(.unknownEndpoint) }
    /// A record names an event that does not exist.
    public static var unknownEvent: Self { Self(.unknownEvent) }
    /// A record names a delivery that does not exist.
    public static var unknownDelivery: Self { Self(.unknownDelivery) }
    /// A record names a replay that does not exist.
    public static var unknownReplay: Self { Self(.unknownReplay) }
    /// A record names an invocation that does not exist.
    public static var unknownInvocation: Self { Self(.unknownInvocation) }
    /// A record creates something that exists already (an id, an API key, an idempotency key).
    public static var duplicate: Self { Self(.duplicate) }
    /// A record joins objects of different tenants.
    public static var tenantMismatch: Self { Self(.tenantMismatch) }
    /// A record does not fit the state of what it changes (e.g. a decision for a delivery not in flight).
    public static var invalidTransition: Self { Self(.invalidTransition) }
    /// An attempt record names the wrong attempt number or replay.
    public static var attemptMismatch: Self { Self(.attemptMismatch) }
    /// A stored projection value could not be decoded.
    public static var corruptProjection: Self { Self(.corruptProjection) }
    /// The projection store failed to read.
    public static var readFailed: Self { Self(.readFailed) }

    static func unknownTenant(_ id: TenantID) -> Self { Self(.unknownTenant, "\(id)") }
    static func unknownEndpoint(_ id: EndpointID) -> Self { Self(.unknownEndpoint, "\(id)") }
    static func unknownEvent(_ id: EventID) -> Self { Self(.unknownEvent, "\(id)") }
    static func unknownDelivery(_ id: DeliveryID) -> Self { Self(.unknownDelivery, "\(id)") }
    static func unknownReplay(_ id: ReplayID) -> Self { Self(.unknownReplay, "\(id)") }
    static func unknownInvocation(_ id: InvocationID) -> Self { Self(.unknownInvocation, "\(id)") }
    static func duplicate(_ detail: String) -> Self { Self(.duplicate, detail) }
    static func tenantMismatch(_ detail: String) -> Self { Self(.tenantMismatch, detail) }
    static func invalidTransition(_ detail: String) -> Self { Self(.invalidTransition, detail) }
    static func attemptMismatch(_ detail: String) -> Self { Self(.attemptMismatch, detail) }

    static func corruptProjection(_ table: ProjectionTable, _ error: RecordDecodingError) -> Self {
        Self(.corruptProjection, "\(table.rawValue): \(error)", underlying: error)
    }

    static func readFailed(_ table: ProjectionTable, _ error: any Error) -> Self {
        Self(.readFailed, "\(table.rawValue): \(error)", underlying: error)
    }

    /// Errors are equal when they have the same reason, whatever the detail.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.reason == rhs.reason
    }

    /// The reason and the detail, for logs.
    public var description: String {
        "ReducerError.\(self.reason)" + (self.detail.isEmpty ? "" : ": \(self.detail)")
    }
}
