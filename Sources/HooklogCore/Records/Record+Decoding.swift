extension Record {
    /// Reads a record from exactly the bytes `encode()` wrote (any readable version).
    public init(decoding bytes: UnsafeRawBufferPointer) throws(RecordDecodingError) {
        var reader = BinaryReader(bytes)
        let version = try reader.readByte()
        guard Self.readableVersions.contains(version) else { throw .unsupportedVersion(version, offset: 0) }
        reader.version = version
        let tag = try reader.readByte()
        guard let kind = RecordKind(rawValue: tag) else { throw .unknownKind(tag, offset: 1) }
        self = try Self.decodeBody(kind, from: &reader)
        try reader.expectEnd()
    }

    /// Reads a record from exactly the bytes `encode()` wrote (any readable version).
    public init(decoding bytes: some Collection<UInt8>) throws(RecordDecodingError) {
        self = try BinaryFraming.withContiguousBytes(bytes) { buffer throws(RecordDecodingError) in
            try Record(decoding: buffer)
        }
    }

    private static func decodeBody(_ kind: RecordKind, from reader: inout BinaryReader) throws(RecordDecodingError) -> Record {
        switch kind {
        case .tenantCreated: .tenantCreated(try reader.read())
        case .tenantAPIKeyRotated: .tenantAPIKeyRotated(try reader.read())
        case .tenantInlineSecretRotated: .tenantInlineSecretRotated(try reader.read())
        case .endpointCreated: .endpointCreated(try reader.read())
        case .endpointUpdated: .endpointUpdated(try reader.read())
        case .endpointSecretRotated: .endpointSecretRotated(try reader.read())
        case .endpointDisabled: .endpointDisabled(try reader.read())
        case .endpointEnabled: .endpointEnabled(try reader.read())
        case .endpointDeleted: .endpointDeleted(try reader.read())
        case .eventReceived: .eventReceived(try reader.read())
        case .deliveryPlanned: .deliveryPlanned(try reader.read())
        case .attemptStarted: .attemptStarted(try reader.read())
        case .attemptFinished: .attemptFinished(try reader.read())
        case .deliveryRetryScheduled: .deliveryRetryScheduled(try reader.read())
        case .deliverySucceeded: .deliverySucceeded(try reader.read())
        case .deliveryFailed: .deliveryFailed(try reader.read())
        case .deliveryCancelled: .deliveryCancelled(try reader.read())
        case .replayRequested: .replayRequested(try reader.read())
        case .replayAnswered: .replayAnswered(try reader.read())
        case .invocationStarted: .invocationStarted(try reader.read())
        case .invocationFinished: .invocationFinished(try reader.read())
        }
    }
}
