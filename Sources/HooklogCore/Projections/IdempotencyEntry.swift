/// What an idempotency key was first used for: enough to give a repeated request the first
/// answer (the event, its sequence, and through `eventDeliveries` its deliveries).
public struct IdempotencyEntry: Sendable, Equatable {
    /// The value format this build writes (and the only one it reads).
    public static let valueVersion: UInt8 = 1

    /// The event the key created.
    public var eventId: EventID
    /// The log sequence of its `EventReceived` record.
    public var sequence: UInt64

    /// An idempotency entry.
    public init(eventId: EventID, sequence: UInt64) {
        self.eventId = eventId
        self.sequence = sequence
    }

    /// The stored bytes: version, then fields.
    public func encode() -> [UInt8] {
        BinaryFraming.encode(self, version: Self.valueVersion)
    }

    /// Reads what `encode()` wrote.
    public init(decoding bytes: some Collection<UInt8>) throws(RecordDecodingError) {
        self = try BinaryFraming.decode(Self.self, from: bytes, versions: Self.valueVersion...Self.valueVersion)
    }
}

extension IdempotencyEntry: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.writeID(self.eventId)
        writer.writeVarint(self.sequence)
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        self.eventId = try reader.readID()
        self.sequence = try reader.readVarint()
    }
}

extension IdempotencyEntry: ProjectedEntity {
    /// A tenant's idempotency key, by the SHA-256 of its UTF-8 (so that any key fits LMDB's key limit).
    public struct Key: Hashable, Sendable {
        public let tenantId: TenantID
        public let keyHash: SHA256Digest

        /// The key `idempotencyKey` of `tenantId`.
        public init(tenantId: TenantID, idempotencyKey: String) {
            self.tenantId = tenantId
            self.keyHash = SHA256Hasher.digest(Array(idempotencyKey.utf8))
        }
    }

    public static var table: ProjectionTable { .idempotency }
    public static func key(_ id: Key) -> [UInt8] { ProjectionKeys.idempotency(id) }
}
