public import HooklogCore

/// Which deliveries a replay re-sends: those planned in `[sinceMs, untilMs)`, to one endpoint if
/// given, failed ones (with those cancelled when Hooklog disabled their endpoint) or every
/// finished one, of the given event types if any.
///
/// Deliveries still waiting or in flight never match (they are going out anyway), and neither do
/// deliveries to an endpoint that is disabled or deleted (they would only be cancelled again).
public struct ReplayCriteria: Sendable, Equatable {
    /// The window's start (inclusive), in milliseconds since 1970, by planning time.
    public var sinceMs: UInt64
    /// The window's end (exclusive), in milliseconds since 1970.
    public var untilMs: UInt64
    /// Only deliveries to this endpoint, if set.
    public var endpointId: EndpointID?
    /// Failed deliveries only, or every finished one.
    public var statusFilter: ReplayStatusFilter
    /// Only deliveries of events of these types, if set.
    public var eventTypes: [String]?

    /// Replay criteria.
    public init(sinceMs: UInt64, untilMs: UInt64, endpointId: EndpointID? = nil, statusFilter: ReplayStatusFilter, eventTypes: [String]? = nil) {
        self.sinceMs = sinceMs
        self.untilMs = untilMs
        self.endpointId = endpointId
        self.statusFilter = statusFilter
        self.eventTypes = eventTypes
    }

    /// The most event types one replay may name.
    public static let maxEventTypes = 100

    /// What a request for these criteria, of `tenantId`'s deliveries (`nil`: every tenant's),
    /// asks for, as one digest: a replay request's idempotency key answers only the same request.
    func requestDigest(tenantId: TenantID?) -> SHA256Digest {
        // A filter, not a list: the same types in another order, or twice, ask for the same. Types
        // are told apart by their bytes (strings that compare equal may be spelled otherwise).
        let eventTypes = self.eventTypes.map { types in
            Set(types.map { Array($0.utf8) })
                .sorted { $0.lexicographicallyPrecedes($1) }
                .map { "\($0.count):" + String(decoding: $0, as: UTF8.self) }
                .joined()
        } ?? "*"
        let parts = [
            tenantId?.description ?? "*", "\(self.sinceMs)", "\(self.untilMs)", self.endpointId?.description ?? "*",
            self.statusFilter.name, eventTypes,
        ]
        return SHA256Hasher.digest(Array(parts.joined(separator: "\n").utf8))
    }

    /// Throws unless the window holds an instant and the event types, if given, are 1 to
    /// `maxEventTypes` non-empty ones of at most `EventTypeCatalog.maxTypeBytes`: what every
    /// replay is checked against, through the API or not.
    public func validate() throws(ReplayError) {
        guard self.sinceMs < self.untilMs else { throw .emptyWindow(sinceMs: self.sinceMs, untilMs: self.untilMs) }
        if let types = self.eventTypes {
            guard !types.isEmpty, types.count <= Self.maxEventTypes, types.allSatisfy({ !$0.isEmpty && $0.utf8.count <= EventTypeCatalog.maxTypeBytes }) else {
                throw .invalidEventTypes(maxCount: Self.maxEventTypes)
            }
        }
    }

    /// What the criteria make of a delivery.
    enum Verdict: Equatable {
        /// Re-send it.
        case resend
        /// The filters select it, but it has not finished: it is going out anyway.
        case unfinished
        /// The filters leave it out.
        case notSelected
    }

    /// Whether a finished delivery ended without landing, through no choice of its owner: it
    /// failed, or it was cancelled when Hooklog disabled its endpoint (failing too long, or gone).
    /// The owner who fixes the receiver and enables the endpoint again wants those back too; not
    /// those cancelled by their owner's own disabling.
    private static func neverLanded(_ delivery: DeliveryState) -> Bool {
        delivery.status == .failed || (delivery.status == .cancelled && delivery.cancelReason == .endpointFailing)
    }

    private static func hasFailedInCurrentRun(_ delivery: DeliveryState) -> Bool {
        delivery.attemptsOfCurrentRun.contains { $0.isFinished && $0.errorKind != .interrupted }
    }

    /// What to do with a delivery in this state, of an event of `eventType`.
    func verdict(on delivery: DeliveryState, eventType: @autoclosure () throws -> String?) rethrows -> Verdict {
        guard delivery.plannedAtMs >= self.sinceMs, delivery.plannedAtMs < self.untilMs else { return .notSelected }
        let isFinished = delivery.status.isFinished
        // A finished delivery the status filter leaves out needs no further look.
        if isFinished, self.statusFilter == .failed, !Self.neverLanded(delivery) { return .notSelected }
        if let endpointId = self.endpointId, delivery.target.endpointId != endpointId { return .notSelected }
        // For `failed`, an unfinished delivery counts as skipped only once it has failed in its
        // current run (it is retrying), or while a replay re-sends it (one asked for twice finds
        // it waiting, not gone); one not yet tried, or retried by hand after a success, or cut
        // off only by a crash, is nothing the operator asked about.
        if !isFinished, self.statusFilter == .failed, delivery.replayId == nil, !Self.hasFailedInCurrentRun(delivery) { return .notSelected }
        if let eventTypes = self.eventTypes {
            guard let type = try eventType(), eventTypes.contains(type) else { return .notSelected }
        }
        return isFinished ? .resend : .unfinished
    }
}
