/// Read access to the projections as they stand, which the reducer needs to judge a record.
///
/// The journal implements it over the open write transaction (so a batch sees its own writes);
/// `MemoryProjections` implements it for tests and rebuild checks.
public protocol ProjectionReading {
    /// The value stored under `key` in `table`, or `nil` if there is none.
    func value(in table: ProjectionTable, forKey key: [UInt8]) throws -> [UInt8]?
}
