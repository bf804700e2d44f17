public import HooklogCore

/// A delivery waiting in the due index.
public struct DueDelivery: Sendable, Equatable {
    /// The delivery.
    public let deliveryId: DeliveryID
    /// Whether it is live or a replay's (which goes after every live one).
    public let lane: DueLane
    /// When it became due.
    public let dueAtMs: UInt64
    /// Where it goes (what per-endpoint limits count).
    public let target: TargetKey

    /// Where it sits in the due index: a scan can go on after it.
    public var position: DuePosition {
        DuePosition(key: ProjectionKeys.due(self.lane, dueAtMs: self.dueAtMs, deliveryId: self.deliveryId), lane: self.lane)
    }
}

/// A place in the due index, where a scan stopped and the next one goes on.
public struct DuePosition: Sendable, Equatable {
    /// The due key of the entry it follows, in `lane`.
    let key: [UInt8]
    let lane: DueLane
}

/// What one scan of the due index found (`HooklogStore.dueDeliveries(atOrBeforeMs:after:limit:examiningAtMost:skipping:)`).
public struct DueScan: Sendable, Equatable {
    /// The due deliveries taken, in the index's order.
    public var deliveries: [DueDelivery] = []
    /// Whether anything was due, taken or stepped over.
    public var sawDue = false
    /// Where the next scan goes on, when this one stopped at its limits before the due
    /// deliveries ended; `nil` when it reached their end.
    public var resumeAfter: DuePosition?
    /// Entries that could not be read (a damaged index): stepped over and counted, so that one
    /// never stops the deliveries due after it. `hooklog rebuild` writes the index anew.
    public var unreadableCount = 0
}
