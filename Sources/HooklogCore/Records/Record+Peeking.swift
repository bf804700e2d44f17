extension Record {
    /// A record's kind, read from its encoded bytes without decoding the rest; `nil` for bytes
    /// this build cannot read.
    public static func kind(inEncoded bytes: UnsafeRawBufferPointer) -> RecordKind? {
        guard bytes.count >= 2, Self.readableVersions.contains(bytes[0]) else { return nil }
        return RecordKind(rawValue: bytes[1])
    }

    /// The delivery that a record's encoded bytes are about, read without decoding the rest, or
    /// `nil` for records of other kinds (and bytes this build cannot read).
    ///
    /// Every delivery record (`DeliveryPlanned`, `AttemptStarted`, `AttemptFinished`,
    /// `DeliveryRetryScheduled`, `DeliverySucceeded`, `DeliveryFailed`, `DeliveryCancelled`)
    /// encodes its delivery id first, right after the version and kind bytes; a scan for one
    /// delivery's story needs nothing more.
    public static func deliveryId(inEncoded bytes: UnsafeRawBufferPointer) -> DeliveryID? {
        guard bytes.count >= 2 + DeliveryID.byteCount, Self.readableVersions.contains(bytes[0]) else { return nil }
        switch RecordKind(rawValue: bytes[1]) {
        case .deliveryPlanned, .attemptStarted, .attemptFinished, .deliveryRetryScheduled, .deliverySucceeded, .deliveryFailed, .deliveryCancelled:
            let high = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 2, as: UInt64.self))
            let low = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 10, as: UInt64.self))
            return DeliveryID(rawValue: UInt128(high) << 64 | UInt128(low))
        default:
            return nil
        }
    }
}
