public import HooklogCore

/// How the deliveries waiting to be sent stand, from one snapshot: what an operator watches to
/// see whether Hooklog keeps up (`/metrics`).
public struct DeliveryQueueFigures: Sendable, Equatable {
    /// Deliveries waiting for an attempt (pending or retrying, due now or later), not in flight.
    public let waitingCount: Int
    /// Deliveries with an attempt started and not yet finished.
    public let inFlightCount: Int
    /// When the earliest waiting delivery of each lane falls (or fell) due, in ms since 1970;
    /// absent for a lane with none waiting.
    public let earliestDueAtMs: [DueLane: UInt64]

    public init(waitingCount: Int, inFlightCount: Int, earliestDueAtMs: [DueLane: UInt64]) {
        self.waitingCount = waitingCount
        self.inFlightCount = inFlightCount
        self.earliestDueAtMs = earliestDueAtMs
    }

    /// How long the earliest delivery of `lane` has been due at `nowMs`, in milliseconds: 0 when
    /// none is overdue (what falls due later is on time).
    public func lagMs(of lane: DueLane, nowMs: UInt64) -> UInt64 {
        guard let dueAtMs = self.earliestDueAtMs[lane], dueAtMs < nowMs else { return 0 }
        return nowMs - dueAtMs
    }
}

extension StoreSnapshot {
    /// When the earliest waiting delivery of `lane` falls (or fell) due; `nil` when none waits.
    /// An entry that cannot be read (a damaged index) is stepped over, as the due scan does.
    func earliestDueAtMs(in lane: DueLane) throws -> UInt64? {
        var earliest: UInt64?
        // `due` keys start with their lane, then the time they fall due.
        try self.projections.scan(.due, from: [lane.rawValue]) { key, _ in
            guard key.first == lane.rawValue else { return false }
            earliest = ProjectionKeys.parseDue(Array(key))?.dueAtMs
            return earliest == nil
        }
        return earliest
    }
}

extension HooklogStore {
    /// The waiting and in-flight deliveries as they stand now.
    public func deliveryQueueFigures() throws -> DeliveryQueueFigures {
        try self.read { snapshot in
            let projections = snapshot.projections
            var earliestDueAtMs: [DueLane: UInt64] = [:]
            for lane in DueLane.allCases {
                earliestDueAtMs[lane] = try snapshot.earliestDueAtMs(in: lane)
            }
            return DeliveryQueueFigures(
                waitingCount: try projections.transaction.entryCount(of: projections.databases[.due]),
                inFlightCount: try projections.transaction.entryCount(of: projections.databases[.inFlight]),
                earliestDueAtMs: earliestDueAtMs
            )
        }
    }
}
