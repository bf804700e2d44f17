public import HooklogCore

/// Why a replay could not be requested.
public struct ReplayError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Internal: Equatable {
        case emptyWindow(sinceMs: UInt64, untilMs: UInt64)
        case invalidEventTypes(maxCount: Int)
        case unknownTenant(TenantID)
        case unknownEndpoint(EndpointID)
        case tooLarge(limits: ReplayLimits, splitAtMs: UInt64)
        case idempotencyKeyReused(String)
        case searchLineFull(TenantID?)
    }

    private let value: Internal

    /// The window `[since, until)` holds no instant: `since` is not before `until`.
    public static func emptyWindow(sinceMs: UInt64, untilMs: UInt64) -> Self { Self(value: .emptyWindow(sinceMs: sinceMs, untilMs: untilMs)) }
    /// The event types filter is empty, too long, or names an empty type or one too long.
    public static func invalidEventTypes(maxCount: Int) -> Self { Self(value: .invalidEventTypes(maxCount: maxCount)) }
    /// There is no such tenant.
    public static func unknownTenant(_ id: TenantID) -> Self { Self(value: .unknownTenant(id)) }
    /// There is no such endpoint (of this tenant).
    public static func unknownEndpoint(_ id: EndpointID) -> Self { Self(value: .unknownEndpoint(id)) }

    /// The window holds more deliveries than one replay may look at or re-send; the limit was
    /// reached at a delivery planned at `splitAtMs`.
    public static func tooLarge(limits: ReplayLimits, splitAtMs: UInt64) -> Self { Self(value: .tooLarge(limits: limits, splitAtMs: splitAtMs)) }

    /// The idempotency key answered another replay request (another window, filter or tenant).
    public static func idempotencyKeyReused(_ key: String) -> Self { Self(value: .idempotencyKeyReused(key)) }

    /// The tenant's (`nil`: the admin's across every tenant) replay requests fill its line; this
    /// one was not searched, and may be sent again once they are answered (`ReplaySearchGate`).
    public static func searchLineFull(_ tenantId: TenantID?) -> Self { Self(value: .searchLineFull(tenantId)) }

    /// Whether the tenant's line of searches was full, and nothing was done.
    public var isSearchLineFull: Bool {
        if case .searchLineFull = self.value { return true }
        return false
    }

    /// Whether the idempotency key answered another request.
    public var isIdempotencyKeyReused: Bool {
        if case .idempotencyKeyReused = self.value { return true }
        return false
    }

    /// Where to split a window too large for one replay: the planning time of the delivery at
    /// which a limit was reached. The part before it was within the limits for the tenant
    /// searched then (for one tenant's replay, the whole part); `nil` for any other error.
    public var splitAtMs: UInt64? {
        if case .tooLarge(_, let splitAtMs) = self.value { return splitAtMs }
        return nil
    }

    /// Whether the tenant or the endpoint does not exist (404).
    public var isNotFound: Bool {
        switch self.value {
        case .unknownTenant, .unknownEndpoint: true
        case .emptyWindow, .invalidEventTypes, .tooLarge, .idempotencyKeyReused, .searchLineFull: false
        }
    }

    public var description: String {
        switch self.value {
        case .emptyWindow(let since, let until): "the window is empty: since (\(Self.time(since))) must be before until (\(Self.time(until)))"
        case .invalidEventTypes(let maxCount): "event_types must hold 1 to \(maxCount) non-empty types of at most \(EventTypeCatalog.maxTypeBytes) bytes, or be left out"
        case .unknownTenant(let id): "no tenant \(id)"
        case .unknownEndpoint(let id): "no endpoint \(id)"
        case .idempotencyKeyReused(let key):
            "Idempotency-Key \"\(key)\" was used for another replay request (another window, filter or tenant): give this one a key of its own"
        case .tooLarge(let limits, _):
            "the window is too large for one replay (at most \(limits.maxMatchedCount) deliveries re-sent, \(limits.maxScannedCount) looked at): "
                + "replay it in shorter windows, or narrow it with endpoint_id, status or event_types"
        case .searchLineFull(let tenantId?):
            "tenant \(tenantId) has as many replay requests waiting their turn as it may: send this one again once they are answered"
        case .searchLineFull(nil):
            "as many replays across every tenant wait their turn as may: send this one again once they are answered"
        }
    }

    /// An instant as the request gave it: RFC 3339, to the millisecond.
    private static func time(_ instantMs: UInt64) -> String {
        TimeFormat.rfc3339(instantMs: Int64(clamping: instantMs), millis: true) ?? "\(instantMs) ms"
    }
}
