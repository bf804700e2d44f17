/// The projections the reducer keeps; each is one LMDB database named by its raw value.
///
/// Keys sort as bytes (integers big-endian). Index tables hold keys only, with empty values.
/// `ProjectionKeys` documents and builds each key; the value types name their table.
public enum ProjectionTable: String, CaseIterable, Sendable {
    /// tenantId(16) → `TenantState`.
    case tenants
    /// SHA-256 of the API key(32) → tenantId(16), raw.
    case apiKeys
    /// endpointId(16) → `EndpointState`.
    case endpoints
    /// tenantId(16) ‖ createdSequence(8) ‖ endpointId(16) → empty: a tenant's endpoints, oldest first.
    case tenantEndpoints
    /// eventId(16) → `EventIndexEntry`.
    case events
    /// tenantId(16) ‖ receivedAtMs(8) ‖ sequence(8) ‖ eventId(16) → empty: a tenant's events by receipt.
    case eventTimes
    /// eventId(16) ‖ plannedSequence(8) ‖ deliveryId(16) → empty: an event's deliveries in fan-out order.
    case eventDeliveries
    /// tenantId(16) ‖ SHA-256(idempotency key)(32) → `IdempotencyEntry`: events' keys; endpoint
    /// creations', manual retries' and replay requests' hashed after a prefix, the admin's replay
    /// and tenant-creation keys under tenant id 0 (`IdempotencyEntry.Key`).
    case idempotency
    /// deliveryId(16) → `DeliveryState`.
    case deliveries
    /// tenantId(16) ‖ plannedAtMs(8) ‖ plannedSequence(8) ‖ deliveryId(16) → empty: a tenant's
    /// deliveries by planning time, in the order they were planned.
    case tenantDeliveries
    /// endpointId(16) ‖ plannedAtMs(8) ‖ plannedSequence(8) ‖ deliveryId(16) → empty: an
    /// endpoint's deliveries by planning time, in the order they were planned.
    case endpointDeliveries
    /// dueAtMs(8) ‖ deliveryId(16) → `TargetKey` bytes: every pending or retrying delivery at its
    /// next attempt, with where it goes (so that a scan needs no lookup per delivery).
    case due
    /// deliveryId(16) → empty: every delivery in flight (what a restart must finish or resend).
    case inFlight
    /// replayId(16) → `ReplayState`.
    case replays
    /// invocationId(16) → `InvocationState`.
    case invocations
    /// `TargetKey`(17 or 33) ‖ dueAtMs(8) ‖ deliveryId(16) → empty: the `due` entries of one
    /// target, so that a freed slot is refilled from that target without scanning the others.
    case targetDue
    /// invocationId(16) → empty: every mid-call invocation without a result (what a restart
    /// must finish as interrupted).
    case runningInvocations

    /// The table's position in `allCases`, for arrays indexed by table.
    public var ordinal: Int {
        switch self {
        case .tenants: 0
        case .apiKeys: 1
        case .endpoints: 2
        case .tenantEndpoints: 3
        case .events: 4
        case .eventTimes: 5
        case .eventDeliveries: 6
        case .idempotency: 7
        case .deliveries: 8
        case .tenantDeliveries: 9
        case .endpointDeliveries: 10
        case .due: 11
        case .inFlight: 12
        case .replays: 13
        case .invocations: 14
        case .targetDue: 15
        case .runningInvocations: 16
        }
    }

    /// The layout of every table's keys and values. Projections written in another layout are
    /// rebuilt from the log when a store opens: raise it with any change to a key or a value.
    /// 2: `due` values carry the target, and `targetDue` exists.
    /// 3: the listing indexes (`tenantEndpoints`, `tenantDeliveries`, `endpointDeliveries`) carry
    /// the log sequence, so that a page's cursor never passes an entry committed after it; endpoint
    /// values carry `createdSequence`.
    /// 4: `runningInvocations` exists.
    /// 5: tenant values carry the wire profile of their inline `webhook_url` deliveries; an inline
    /// `webhook_url`'s target key is its tenant's and origin's, not the whole URL's; and the
    /// reducer's rules changed (a new URL clears an endpoint's failing streak, an attempt moves
    /// only its own tenant's endpoint's health, and an old `endpoint_disabled` cancellation by
    /// Hooklog's own disabling reads as `endpoint_failing`), so older projections are rebuilt to
    /// agree with a rebuild from the log.
    /// 6: endpoint values (version 3) carry the latest failure of their run of failures; 25 hours
    /// without a failure end a run (`EndpointState.failingRunBreakMs`), a run starts at its
    /// earliest failure whatever order they are journaled in, and a failure from before the
    /// latest success is no part of one.
    /// 7: idempotency values (version 2) say what their key was used for: an event, or a replay
    /// request (`ReplayAnswered`), whose keys are kept apart from the events'.
    /// 8: the reducer's rules changed: a success journaled after a later failure no longer ends
    /// that failure's run, nor moves an endpoint's latest success back.
    /// 9: disabling or enabling an endpoint is a change of it: its `updatedAtMs` moves.
    /// 10: delivery values (version 3) count their attempts, and keep of the runs before the
    /// current one only the latest `DeliveryState.earlierAttemptsKept`.
    /// (Since the last builds of 9, idempotency values may also name an endpoint creation: a
    /// new use, with no bump, as no projection an earlier build wrote holds one.)
    /// 11: a delivery's row keeps of its current run's interrupted attempts only the latest
    /// `DeliveryState.interruptedAttemptsKept`.
    /// 12: endpoint values (version 4) keep since when their URL is set, and an attempt started
    /// before it (at a URL the endpoint has left) no longer moves their health.
    /// (Since the last builds of 12, idempotency values may also name a manual retry or a tenant:
    /// new uses, with no bump, as no projection an earlier build wrote holds one.)
    /// 13: the reducer's rules changed: an endpoint takes a URL of other bytes even when it is an
    /// equal string (canonically equivalent), as it is another URL on the wire.
    /// 14: tenant values (version 3) keep the inline signing secret a rotation replaced.
    /// 15: whether an attempt went to its endpoint's current URL is decided by log order:
    /// attempts (delivery values version 4) keep their start's sequence, endpoints (version 5)
    /// the sequence since which their URL is set.
    /// 16: an inline target's key (`targetDue`) is worked out on the URL's bytes, lower-casing
    /// ASCII letters only (before, every letter, by the toolchain's Unicode tables).
    /// 17: endpoints (values version 6) and tenants (version 4) keep every rotated-out secret
    /// still in its grace, not only the last one replaced.
    /// 18: `due` keys start with a lane (`DueLane`), and `targetDue` keys carry it after the
    /// target: live deliveries take free slots ahead of those a replay reopened.
    public static let layoutVersion: UInt8 = 18

    /// The LMDB database names of all tables, for opening the environment and for rebuild.
    public static var databaseNames: [String] {
        allCases.map(\.rawValue)
    }
}
