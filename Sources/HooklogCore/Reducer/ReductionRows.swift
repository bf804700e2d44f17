/// Where a reduction reads the rows a record needs and writes the rows it changes.
///
/// The journal's store collects a record's writes as changes to apply in its transaction
/// (`RecordedRows`, behind `Reducer.reduce(_:sequence:appendedAtMs:rows:)`); a rebuild writes
/// them straight into the rows it holds, with nothing collected per record. Reads are `mutating`
/// so that a store may note what it read; every write follows the read that judged it.
public protocol ReductionRows {
    // Reads: the row as the records before this one (and this one's own writes) left it, `nil`
    // when there is none; a store that cannot read its rows throws `readFailed` or
    // `corruptProjection`.
    mutating func tenant(_ id: TenantID) throws(ReducerError) -> TenantState?
    mutating func endpoint(_ id: EndpointID) throws(ReducerError) -> EndpointState?
    mutating func event(_ id: EventID) throws(ReducerError) -> EventIndexEntry?
    mutating func idempotencyEntry(_ key: IdempotencyEntry.Key) throws(ReducerError) -> IdempotencyEntry?
    mutating func delivery(_ id: DeliveryID) throws(ReducerError) -> DeliveryState?
    mutating func replay(_ id: ReplayID) throws(ReducerError) -> ReplayState?
    mutating func invocation(_ id: InvocationID) throws(ReducerError) -> InvocationState?
    /// Whether some tenant, the record's own writes included, holds the API key `apiKeyHash`.
    func apiKeyIsTaken(_ apiKeyHash: SHA256Digest) throws(ReducerError) -> Bool

    // Writes: the row as this record leaves it, each after the read that judged it.
    mutating func putTenant(_ id: TenantID, _ tenant: TenantState)
    mutating func putEndpoint(_ id: EndpointID, _ endpoint: EndpointState)
    mutating func removeEndpoint(_ id: EndpointID)
    mutating func putEvent(_ id: EventID, _ event: EventIndexEntry)
    mutating func putIdempotencyEntry(_ key: IdempotencyEntry.Key, _ entry: IdempotencyEntry)
    mutating func putDelivery(_ id: DeliveryID, _ delivery: DeliveryState)
    mutating func putReplay(_ id: ReplayID, _ replay: ReplayState)
    mutating func putInvocation(_ id: InvocationID, _ invocation: InvocationState)
}
