public import HooklogCore

/// Which records an export holds: those appended in `[sinceMs, untilMs)`, of one tenant or of all.
public struct ExportFilter: Sendable, Equatable {
    /// The window's start by append (receipt) time, inclusive, in ms since 1970; `nil`: the log's start.
    public var sinceMs: UInt64?
    /// The window's end by append time, exclusive, in ms since 1970; `nil`: the head when the export starts.
    public var untilMs: UInt64?
    /// Only this tenant's records (a tenant's export); `nil` for every record (the admin's).
    public var tenantId: TenantID?

    /// An export filter; everything by default.
    public init(sinceMs: UInt64? = nil, untilMs: UInt64? = nil, tenantId: TenantID? = nil) {
        self.sinceMs = sinceMs
        self.untilMs = untilMs
        self.tenantId = tenantId
    }
}
