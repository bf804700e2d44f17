import HooklogCore

/// What a write request sees on the writer thread: the open write transaction, through which it
/// reads current state, and `append`, through which it changes it.
///
/// A request may run more than once (when its batch is replayed after the map grows or another
/// request in it fails), so it must change nothing outside this value.
public struct LogWriter: ~Copyable {
    let transaction: WriteTransaction
    let log: Database
    let hasher: SHA256Hasher
    let projector: (any LogProjector)?

    /// When the batch is appended, in milliseconds since 1970; the same for all of its entries.
    public let appendedAtMs: UInt64
    /// The newest entry, including those appended by this batch so far.
    public private(set) var head: ChainHead
    /// How many payload bytes this batch has appended so far.
    public private(set) var appendedByteCount = 0
    /// How many records this batch has appended that make a delivery due (planned, or due
    /// again): what the scheduler must be woken for (`LogWriter+Records`).
    public internal(set) var dueRecordCount = 0
    /// How many appends this batch has begun, those that then threw included: a request that
    /// began none has written nothing (appends are the only writes).
    private(set) var begunAppendCount = 0

    init(transaction: WriteTransaction, log: Database, hasher: SHA256Hasher, projector: (any LogProjector)?, appendedAtMs: UInt64, head: ChainHead) {
        self.transaction = transaction
        self.log = log
        self.hasher = hasher
        self.projector = projector
        self.appendedAtMs = appendedAtMs
        self.head = head
    }

    /// Reads state as of this point of the batch (the batch's own writes included).
    public var view: ReadTransaction {
        ReadTransaction(handle: self.transaction.handle)
    }

    /// Appends one record and applies it to the projections; returns its sequence.
    @discardableResult
    public mutating func append(_ payload: UnsafeRawBufferPointer) throws -> UInt64 {
        self.begunAppendCount += 1
        let sequence = self.head.sequence + 1
        let previous = self.head.chainHash
        var chainHash = SHA256Digest.zero
        var stored = UnsafeMutableRawBufferPointer(start: nil, count: 0)
        try withUnsafeBytes(of: sequence.bigEndian) { keyBytes in
            try self.transaction.put(
                reserving: LogEntryLayout.headerByteCount + payload.count,
                forKey: keyBytes,
                in: self.log,
                mode: .append
            ) { destination in
                chainHash = LogEntryLayout.write(
                    sequence: sequence,
                    appendedAtMs: self.appendedAtMs,
                    payload: payload,
                    previous: previous,
                    into: destination,
                    using: self.hasher
                )
                stored = destination
            }
        }
        if let projector = self.projector {
            let view = try LogEntryView(sequence: sequence, storedBytes: UnsafeRawBufferPointer(stored))
            try projector.apply(view, in: self.transaction)
        }
        self.head = ChainHead(sequence: sequence, chainHash: chainHash, appendedAtMs: self.appendedAtMs)
        self.appendedByteCount += payload.count
        return sequence
    }

    /// Appends one record and applies it to the projections; returns its sequence.
    @discardableResult
    public mutating func append(_ payload: [UInt8]) throws -> UInt64 {
        try payload.withUnsafeBytes { try self.append($0) }
    }
}
