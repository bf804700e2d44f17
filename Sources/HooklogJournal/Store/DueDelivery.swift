public import HooklogCore

/// A delivery waiting in the due index.
public struct DueDelivery: Sendable, Equatable {
    /// The delivery.
    public let deliveryId: DeliveryID
    /// When it became due.
    public let dueAtMs: UInt64
    /// Where it goes (what per-endpoint limits count).
    public let target: TargetKey
}

/// Where a pass over the due index goes on: in the lane a scan stopped short in, after the last
/// entry it examined there. The replay lane's place is kept while later scans read the live
/// lane, which the scan after one that read it to its end reads from its start again.
public struct DuePosition: Sendable, Equatable {
    /// The due key of the last entry examined, by lane.
    var afterKeys: [DueLane: [UInt8]] = [:]
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
