// The binary encoding of a record.
//
// Layout: one byte codec version, one byte kind tag (`RecordKind.rawValue`), then the kind's
// fields in a fixed order (see each record's `encode(to:)`): unsigned integers as minimal LEB128
// varints, ids as their 16 big-endian bytes, digests as 32 bytes, strings and byte strings as a
// varint length then the bytes, optionals as a presence byte (0 or 1) then the value, arrays as a
// varint count then the items, enums as one tag byte. The encoding is deterministic: one record,
// one spelling, and decoding accepts only that spelling.
//
// Versioning: the log is kept forever, so a newer build must read every older version.
// - Adding a record kind or an enum case needs no new version: old bytes never contain it.
// - Changing the fields of a kind (adding, removing, reordering, widening) bumps `Record.codecVersion`;
//   the old decoder stays, selected by `reader.version` inside that kind's `init(from:)`, and
//   `Record.readableVersions` grows to include the new one. Encoding always writes the newest.
// - A build that meets a version newer than its own throws `unsupportedVersion`; it never guesses.

extension Record {
    /// The codec version this build writes. 2: the endpoint-change records carry their tenant,
    /// and `TenantCreated` its inline profile. 3: `EndpointCreated` carries its request's
    /// idempotency key. 4: so do `DeliveryRetryScheduled`, for a manual retry, and `TenantCreated`.
    public static let codecVersion: UInt8 = 4

    /// The codec versions this build reads.
    public static let readableVersions: ClosedRange<UInt8> = 1...4

    /// The record's bytes: version, kind tag, fields.
    public func encode() -> [UInt8] {
        var writer = BinaryWriter(capacity: 128)
        writer.writeByte(Self.codecVersion)
        writer.writeTag(self.kind)
        switch self {
        case .tenantCreated(let record): writer.write(record)
        case .tenantAPIKeyRotated(let record): writer.write(record)
        case .tenantInlineSecretRotated(let record): writer.write(record)
        case .endpointCreated(let record): writer.write(record)
        case .endpointUpdated(let record): writer.write(record)
        case .endpointSecretRotated(let record): writer.write(record)
        case .endpointDisabled(let record): writer.write(record)
        case .endpointEnabled(let record): writer.write(record)
        case .endpointDeleted(let record): writer.write(record)
        case .eventReceived(let record): writer.write(record)
        case .deliveryPlanned(let record): writer.write(record)
        case .attemptStarted(let record): writer.write(record)
        case .attemptFinished(let record): writer.write(record)
        case .deliveryRetryScheduled(let record): writer.write(record)
        case .deliverySucceeded(let record): writer.write(record)
        case .deliveryFailed(let record): writer.write(record)
        case .deliveryCancelled(let record): writer.write(record)
        case .replayRequested(let record): writer.write(record)
        case .replayAnswered(let record): writer.write(record)
        case .invocationStarted(let record): writer.write(record)
        case .invocationFinished(let record): writer.write(record)
        }
        return writer.bytes
    }
}
