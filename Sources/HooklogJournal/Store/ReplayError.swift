public import HooklogCore

/// Why a replay could not be requested.
public struct ReplayError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Internal: Equatable {
        case emptyWindow(sinceMs: UInt64, untilMs: UInt64)
        case unknownTenant(TenantID)
        case unknownEndpoint(EndpointID)
    }

    private let value: Internal

    /// The window `[since, until)` holds no instant: `since` is not before `until`.
    public static func emptyWindow(sinceMs: UInt64, untilMs: UInt64) -> Self { Self(value: .emptyWindow(sinceMs: sinceMs, untilMs: untilMs)) }
    /// There is no such tenant.
    public static func unknownTenant(_ id: TenantID) -> Self { Self(value: .unknownTenant(id)) }
    /// There is no such endpoint (of this tenant).
    public static func unknownEndpoint(_ id: EndpointID) -> Self { Self(value: .unknownEndpoint(id)) }

    /// Whether the window was empty (a client's mistake: 400).
    public var isEmptyWindow: Bool {
        if case .emptyWindow = self.value { return true }
        return false
    }

    /// Whether the tenant or the endpoint does not exist (404).
    public var isNotFound: Bool {
        switch self.value {
        case .unknownTenant, .unknownEndpoint: true
        case .emptyWindow: false
        }
    }

    public var description: String {
        switch self.value {
        case .emptyWindow(let since, let until): "the window is empty: since (\(since) ms) must be before until (\(until) ms)"
        case .unknownTenant(let id): "no tenant \(id)"
        case .unknownEndpoint(let id): "no endpoint \(id)"
        }
    }
}
