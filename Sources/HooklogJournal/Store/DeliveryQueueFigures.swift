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

extension HooklogStore {
    /// The waiting and in-flight deliveries as they stand now.
    public func deliveryQueueFigures() throws -> DeliveryQueueFigures {
        try self.read { snapshot in
            let projections = snapshot.projections
            let due = projections.databases[.due]
            var earliestDueAtMs: [DueLane: UInt64] = [:]
            try projections.transaction.withCursor(over: due) { cursor in
                // `due` keys start with their lane, then the time they fall due.
                for lane in DueLane.allCases {
                    guard let entry = try cursor.seek(atLeast: [lane.rawValue]),
                        let parsed = ProjectionKeys.parseDue(Array(entry.key)), parsed.lane == lane
                    else { continue }
                    earliestDueAtMs[lane] = parsed.dueAtMs
                }
            }
            return DeliveryQueueFigures(
                waitingCount: try projections.transaction.entryCount(of: due),
                inFlightCount: try projections.transaction.entryCount(of: projections.databases[.inFlight]),
                earliestDueAtMs: earliestDueAtMs
            )
        }
    }
}
