/// Builds (and takes apart) the keys of the projection tables; see `ProjectionTable` for layouts.
///
/// Integers are 8 bytes big-endian and ids their 16-byte binary form, so keys sort by time.
public enum ProjectionKeys {
    /// `tenants`: tenantId.
    public static func tenant(_ tenantId: TenantID) -> [UInt8] {
        tenantId.bytes
    }

    /// `apiKeys`: the API key's SHA-256.
    public static func apiKey(_ apiKeyHash: SHA256Digest) -> [UInt8] {
        apiKeyHash.bytes
    }

    /// `endpoints`: endpointId.
    public static func endpoint(_ endpointId: EndpointID) -> [UInt8] {
        endpointId.bytes
    }

    /// `tenantEndpoints`: tenantId ‖ createdSequence ‖ endpointId. A tenant's entries share the
    /// prefix `tenant(tenantId)`; a new endpoint sorts after every older one.
    public static func tenantEndpoint(tenantId: TenantID, createdSequence: UInt64, endpointId: EndpointID) -> [UInt8] {
        var key = KeyBuilder(capacity: 40)
        key.append(tenantId)
        key.append(createdSequence)
        key.append(endpointId)
        return key.bytes
    }

    /// `events`: eventId.
    public static func event(_ eventId: EventID) -> [UInt8] {
        eventId.bytes
    }

    /// `eventTimes`: tenantId ‖ receivedAtMs ‖ sequence ‖ eventId.
    public static func eventTime(tenantId: TenantID, receivedAtMs: UInt64, sequence: UInt64, eventId: EventID) -> [UInt8] {
        var key = KeyBuilder(capacity: 48)
        key.append(tenantId)
        key.append(receivedAtMs)
        key.append(sequence)
        key.append(eventId)
        return key.bytes
    }

    /// Where a tenant's events received at or after `sinceMs` start in `eventTimes`.
    public static func eventTimesStart(tenantId: TenantID, sinceMs: UInt64) -> [UInt8] {
        var key = KeyBuilder(capacity: 24)
        key.append(tenantId)
        key.append(sinceMs)
        return key.bytes
    }

    /// Takes an `eventTimes` key apart; `nil` if it is not one.
    public static func parseEventTime(_ key: [UInt8]) -> (tenantId: TenantID, receivedAtMs: UInt64, sequence: UInt64, eventId: EventID)? {
        guard key.count == 48 else { return nil }
        return (TenantID(bytes: key[0..<16])!, bigEndian(key[16..<24]), bigEndian(key[24..<32]), EventID(bytes: key[32..<48])!)
    }

    /// `eventDeliveries`: eventId ‖ plannedSequence ‖ deliveryId. An event's entries share the prefix `event(eventId)`.
    public static func eventDelivery(eventId: EventID, plannedSequence: UInt64, deliveryId: DeliveryID) -> [UInt8] {
        var key = KeyBuilder(capacity: 40)
        key.append(eventId)
        key.append(plannedSequence)
        key.append(deliveryId)
        return key.bytes
    }

    /// `idempotency`: tenantId ‖ SHA-256 of the key's UTF-8 (so that any key fits LMDB's key limit).
    public static func idempotency(_ idempotencyKey: IdempotencyEntry.Key) -> [UInt8] {
        var key = KeyBuilder(capacity: 48)
        key.append(idempotencyKey.tenantId)
        key.bytes.append(contentsOf: idempotencyKey.keyHash.bytes)
        return key.bytes
    }

    /// `deliveries`: deliveryId.
    public static func delivery(_ deliveryId: DeliveryID) -> [UInt8] {
        deliveryId.bytes
    }

    /// `tenantDeliveries`: tenantId ‖ plannedAtMs ‖ plannedSequence ‖ deliveryId. Planning times
    /// follow commits, so with the sequence a new delivery sorts after every older one.
    public static func tenantDelivery(tenantId: TenantID, plannedAtMs: UInt64, plannedSequence: UInt64, deliveryId: DeliveryID) -> [UInt8] {
        var key = KeyBuilder(capacity: 48)
        key.append(tenantId)
        key.append(plannedAtMs)
        key.append(plannedSequence)
        key.append(deliveryId)
        return key.bytes
    }

    /// Where a tenant's deliveries planned at or after `sinceMs` start in `tenantDeliveries`.
    public static func tenantDeliveriesStart(tenantId: TenantID, sinceMs: UInt64) -> [UInt8] {
        var key = KeyBuilder(capacity: 24)
        key.append(tenantId)
        key.append(sinceMs)
        return key.bytes
    }

    /// `endpointDeliveries`: endpointId ‖ plannedAtMs ‖ plannedSequence ‖ deliveryId (ordered as
    /// `tenantDeliveries`).
    public static func endpointDelivery(endpointId: EndpointID, plannedAtMs: UInt64, plannedSequence: UInt64, deliveryId: DeliveryID) -> [UInt8] {
        var key = KeyBuilder(capacity: 48)
        key.append(endpointId)
        key.append(plannedAtMs)
        key.append(plannedSequence)
        key.append(deliveryId)
        return key.bytes
    }

    /// Where an endpoint's deliveries planned at or after `sinceMs` start in `endpointDeliveries`.
    public static func endpointDeliveriesStart(endpointId: EndpointID, sinceMs: UInt64) -> [UInt8] {
        var key = KeyBuilder(capacity: 24)
        key.append(endpointId)
        key.append(sinceMs)
        return key.bytes
    }

    /// Takes a `tenantDeliveries` or `endpointDeliveries` key apart (both are id(16) ‖
    /// plannedAtMs ‖ plannedSequence ‖ deliveryId); `nil` if it is neither.
    public static func parsePlannedDelivery(_ key: some RandomAccessCollection<UInt8>) -> (plannedAtMs: UInt64, plannedSequence: UInt64, deliveryId: DeliveryID)? {
        let key = Array(key)
        guard key.count == 48 else { return nil }
        return (bigEndian(key[16..<24]), bigEndian(key[24..<32]), DeliveryID(bytes: key[32..<48])!)
    }

    /// `due`: lane ‖ dueAtMs ‖ deliveryId: every live delivery ahead of every one a replay
    /// reopened (`DueLane`), each lane in time order. A lane's entries share the prefix `[lane]`.
    public static func due(_ lane: DueLane, dueAtMs: UInt64, deliveryId: DeliveryID) -> [UInt8] {
        var key = KeyBuilder(capacity: Self.dueKeyByteCount)
        key.bytes.append(lane.rawValue)
        key.append(dueAtMs)
        key.append(deliveryId)
        return key.bytes
    }

    /// The length of a `due` key: lane (1) ‖ dueAtMs (8) ‖ deliveryId (16).
    public static let dueKeyByteCount = 25

    /// Takes a `due` key apart; `nil` if it is not one.
    public static func parseDue(_ key: [UInt8]) -> (lane: DueLane, dueAtMs: UInt64, deliveryId: DeliveryID)? {
        guard key.count == Self.dueKeyByteCount, let lane = DueLane(rawValue: key[0]) else { return nil }
        return (lane, bigEndian(key[1..<9]), DeliveryID(bytes: key[9..<25])!)
    }

    /// `targetDue`: target ‖ lane ‖ dueAtMs ‖ deliveryId, the target and then its `due` key. A
    /// target's entries share the prefix `target.bytes`, and those of one lane `targetDue(target, lane)`.
    public static func targetDue(_ target: TargetKey, _ lane: DueLane, dueAtMs: UInt64, deliveryId: DeliveryID) -> [UInt8] {
        target.bytes + Self.due(lane, dueAtMs: dueAtMs, deliveryId: deliveryId)
    }

    /// The prefix of `target`'s `targetDue` entries in `lane`.
    public static func targetDue(_ target: TargetKey, _ lane: DueLane) -> [UInt8] {
        target.bytes + [lane.rawValue]
    }

    /// Takes a `targetDue` key apart; `nil` if it is not one.
    public static func parseTargetDue(_ key: [UInt8]) -> (target: TargetKey, lane: DueLane, dueAtMs: UInt64, deliveryId: DeliveryID)? {
        let dueKeyByteCount = Self.dueKeyByteCount
        guard key.count > dueKeyByteCount, let target = try? TargetKey(decoding: key.dropLast(dueKeyByteCount)),
            let due = Self.parseDue(Array(key.suffix(dueKeyByteCount)))
        else { return nil }
        return (target, due.lane, due.dueAtMs, due.deliveryId)
    }

    /// `inFlight`: deliveryId.
    public static func inFlight(_ deliveryId: DeliveryID) -> [UInt8] {
        deliveryId.bytes
    }

    /// `replays`: replayId.
    public static func replay(_ replayId: ReplayID) -> [UInt8] {
        replayId.bytes
    }

    /// `invocations`: invocationId.
    public static func invocation(_ invocationId: InvocationID) -> [UInt8] {
        invocationId.bytes
    }

    /// `runningInvocations`: invocationId.
    public static func runningInvocation(_ invocationId: InvocationID) -> [UInt8] {
        invocationId.bytes
    }

    /// How long every key of `table` is, for the tables whose keys have one length (the
    /// listing indexes among them); `nil` for the others.
    public static func keyByteCount(of table: ProjectionTable) -> Int? {
        switch table {
        case .tenants, .endpoints, .events, .deliveries, .inFlight, .replays, .invocations, .runningInvocations: 16
        case .apiKeys: 32
        case .tenantEndpoints, .eventDeliveries: 40
        case .eventTimes, .idempotency, .tenantDeliveries, .endpointDeliveries: 48
        case .due: Self.dueKeyByteCount
        case .targetDue: nil
        }
    }

    /// The id at the end of an index key (`tenantEndpoints`, `eventTimes`, `eventDeliveries`,
    /// `tenantDeliveries`, `endpointDeliveries`, `due`, `inFlight`); `nil` for a key too short.
    public static func trailingID<Kind>(of key: [UInt8], as type: PrefixedID<Kind>.Type = PrefixedID<Kind>.self) -> PrefixedID<Kind>? {
        guard key.count >= PrefixedID<Kind>.byteCount else { return nil }
        return PrefixedID(bytes: key.suffix(PrefixedID<Kind>.byteCount))
    }

    private static func bigEndian(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }
}

/// Concatenates the fixed-width parts of a key.
private struct KeyBuilder {
    var bytes: [UInt8]

    init(capacity: Int) {
        self.bytes = []
        self.bytes.reserveCapacity(capacity)
    }

    mutating func append<Kind>(_ id: PrefixedID<Kind>) {
        id.append(to: &self.bytes)
    }

    mutating func append(_ value: UInt64) {
        withUnsafeBytes(of: value.bigEndian) { self.bytes.append(contentsOf: $0) }
    }
}
