/// What an idempotency key was first used for: enough to give a repeated request the first
/// answer. An event's key names the event (and through `eventDeliveries` its deliveries); an
/// endpoint's names the endpoint and its `EndpointCreated` record; a replay request's key names
/// its `ReplayAnswered` record; a manual retry's names the delivery; a tenant creation's (the
/// admin's) names the tenant.
public struct IdempotencyEntry: Sendable, Equatable {
    /// The value format this build writes (and the only one it reads).
    public static let valueVersion: UInt8 = 2

    /// What a key was used for.
    public enum Use: Sendable, Equatable {
        /// `POST /v1/events`: the event the key created.
        case event(EventID)
        /// `POST /v1/replays`: the answer is the record at `sequence`.
        case replay
        /// `POST /v1/endpoints`: the endpoint the key created, whose `EndpointCreated` is at `sequence`.
        case endpoint(EndpointID)
        /// `POST /v1/deliveries/{id}/retry`: the delivery the key sent again, whose
        /// `DeliveryRetryScheduled` is at `sequence`.
        case retry(DeliveryID)
        /// `POST /v1/tenants`: the tenant the key created, whose `TenantCreated` is at `sequence`.
        case tenant(TenantID)
    }

    public var use: Use
    /// The log sequence of the record that answered the key: the event's `EventReceived`, the
    /// endpoint's `EndpointCreated`, the replay request's `ReplayAnswered`, or the manual retry's
    /// `DeliveryRetryScheduled`, or the tenant's `TenantCreated`.
    public var sequence: UInt64

    /// An idempotency entry.
    public init(_ use: Use, sequence: UInt64) {
        self.use = use
        self.sequence = sequence
    }

    /// The event the key created, if it was an event's.
    public var eventId: EventID? {
        if case .event(let eventId) = self.use { return eventId }
        return nil
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
        switch self.use {
        case .event(let eventId):
            writer.writeByte(0)
            writer.writeID(eventId)
        case .replay:
            writer.writeByte(1)
        case .endpoint(let endpointId):
            writer.writeByte(2)
            writer.writeID(endpointId)
        case .retry(let deliveryId):
            writer.writeByte(3)
            writer.writeID(deliveryId)
        case .tenant(let tenantId):
            writer.writeByte(4)
            writer.writeID(tenantId)
        }
        writer.writeVarint(self.sequence)
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        switch try reader.readByte() {
        case 0: self.use = .event(try reader.readID())
        case 1: self.use = .replay
        case 2: self.use = .endpoint(try reader.readID())
        case 3: self.use = .retry(try reader.readID())
        case 4: self.use = .tenant(try reader.readID())
        case let tag: throw .invalidValue(offset: reader.offset - 1, "tag \(tag) of an idempotency key's use")
        }
        self.sequence = try reader.readVarint()
    }
}

extension IdempotencyEntry: ProjectedEntity {
    /// A tenant's idempotency key, by the SHA-256 of its UTF-8 (so that any key fits LMDB's key limit).
    public struct Key: Hashable, Sendable {
        public let tenantId: TenantID
        public let keyHash: SHA256Digest

        /// The key `idempotencyKey` of `tenantId`'s events.
        public init(tenantId: TenantID, idempotencyKey: String) {
            self.tenantId = tenantId
            self.keyHash = SHA256Hasher.digest(Array(idempotencyKey.utf8))
        }

        /// The key `idempotencyKey` of `tenantId`'s endpoint creations. Apart from its events' keys:
        /// hashed after a prefix ending in a line feed, which no header value holds.
        public init(endpointsOf tenantId: TenantID, idempotencyKey: String) {
            self.tenantId = tenantId
            self.keyHash = SHA256Hasher.digest(Array("endpoints\n\(idempotencyKey)".utf8))
        }

        /// The key `idempotencyKey` of `tenantId`'s manual retries of deliveries. Apart from its
        /// events' and endpoints' keys: hashed after a prefix ending in a line feed, which no
        /// header value holds.
        public init(retriesOf tenantId: TenantID, idempotencyKey: String) {
            self.tenantId = tenantId
            self.keyHash = SHA256Hasher.digest(Array("retries\n\(idempotencyKey)".utf8))
        }

        /// The key `idempotencyKey` of replay requests, `tenantId`'s or (`nil`) the admin's. Apart
        /// from the events' keys, and the admin's from any tenant's: hashed after a prefix ending
        /// in a line feed, which no header value holds.
        public init(replaysOf tenantId: TenantID?, idempotencyKey: String) {
            self.tenantId = tenantId ?? Self.adminScope
            self.keyHash = SHA256Hasher.digest(Array("\(tenantId == nil ? "admin-replays" : "replays")\n\(idempotencyKey)".utf8))
        }

        /// The key `idempotencyKey` of the admin's tenant creations. Kept where the admin's
        /// replay keys are, apart from them: hashed after a prefix ending in a line feed, which no
        /// header value holds.
        public init(tenantCreationsWithIdempotencyKey idempotencyKey: String) {
            self.tenantId = Self.adminScope
            self.keyHash = SHA256Hasher.digest(Array("tenants\n\(idempotencyKey)".utf8))
        }

        /// Where the admin's keys are kept.
        private static let adminScope = TenantID(rawValue: 0)
    }

    public static var table: ProjectionTable { .idempotency }
    public static func key(_ id: Key) -> [UInt8] { ProjectionKeys.idempotency(id) }
}
