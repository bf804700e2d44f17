extension WireProfile {
    /// The request that delivers `event` under this profile.
    ///
    /// The body is compact JSON in the profile's field order; the event's `data` (and `metadata`) bytes are
    /// spliced in verbatim, never re-serialized. The same event gives the same body on every attempt; only
    /// fields and signatures that use the send time change.
    ///
    /// - Parameters:
    ///   - event: The event and delivery to send.
    ///   - secrets: The endpoint's signing secrets (ignored by schemes without a secret).
    ///   - bearerToken: The endpoint's bearer token (used by the `bearerToken` scheme).
    ///   - sentAtMs: The send time, milliseconds since the epoch: its whole seconds are signed and
    ///     written by `sentAt` fields; a rotated-out secret's grace ends at its millisecond.
    public func render(
        _ event: OutgoingEvent,
        secrets: SigningSecrets?,
        bearerToken: String?,
        sentAtMs: Int64
    ) throws -> RenderedRequest {
        let parts = try EventParts(event: event, sentAtMs: SignatureScheme.seconds(milliseconds: sentAtMs) * 1_000)
        var writer = JSONBodyWriter()
        try Self.writeObject(self.envelope, parts: parts, into: &writer)
        let body = writer.bytes

        var headers = [WireHeader(name: "Content-Type", value: self.contentType)]
        for template in self.headers {
            let value: String?
            switch template.source {
            case .eventId: value = event.eventId
            case .deliveryId: value = event.deliveryId
            case .eventType: value = event.type
            case .callId: value = [template.dataPath.flatMap(parts.dataString(at:)), event.callId].lazy.compactMap { $0 }.first(where: Self.isASCII)
            case .constant: value = template.constant
            }
            guard let value else { continue }
            headers.append(WireHeader(name: template.name, value: value))
        }
        headers += try self.signatureScheme.authenticationHeaders(
            secrets: secrets,
            messageId: event.eventId,
            sentAtMs: sentAtMs,
            body: body,
            bearerToken: bearerToken
        )
        for header in headers where !Self.canCarryInHeader(header.value) {
            throw ProfileError.invalidHeaderValue(header.name)
        }
        return RenderedRequest(headers: headers, body: body)
    }

    /// Whether `text` can be a header value: no control characters but tab (so no CR or LF to
    /// end the header early). Fields that profiles put in headers are checked with it at ingest.
    public static func canCarryInHeader(_ text: String) -> Bool {
        !text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }
    }

    /// Whether `text` is ASCII: a receiver reads a header's other bytes as Latin-1 (RFC 9110's
    /// obs-text), so a call id of other characters would reach it as other text than the body's.
    private static func isASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 < 0x80 }
    }

    /// Writes `{…}` of `fields`: every named field first evaluated, so that a `dataMembers` splice can leave out
    /// the keys the object already writes.
    private static func writeObject(_ fields: [EnvelopeField], parts: EventParts, into writer: inout JSONBodyWriter) throws {
        var values: [[UInt8]?] = []
        var writtenNames: Set<String> = []
        for field in fields {
            guard let name = field.name, field.source != .dataMembers else {
                values.append(nil)
                continue
            }
            if let value = try Self.value(of: field, parts: parts) {
                values.append(value)
                writtenNames.insert(name)
            } else if field.omitWhenAbsent {
                values.append(nil)
            } else {
                values.append(Array("null".utf8))
                writtenNames.insert(name)
            }
        }

        writer.append("{")
        var first = true
        func separate(_ writer: inout JSONBodyWriter) {
            if !first { writer.append(",") }
            first = false
        }
        for (field, value) in zip(fields, values) {
            if field.source == .dataMembers {
                guard let members = parts.dataMembers else {
                    throw ProfileError.invalidData("the profile spreads data's members, and data is not an object")
                }
                for member in members where !writtenNames.contains(member.key) {
                    separate(&writer)
                    writer.appendRaw(parts.event.data[member.keyRange])
                    writer.append(":")
                    writer.appendRaw(parts.event.data[member.valueRange])
                }
            } else if let name = field.name, let value {
                separate(&writer)
                writer.appendString(name)
                writer.append(":")
                writer.appendRaw(value)
            }
        }
        writer.append("}")
    }

    /// The JSON bytes of one named field, or `nil` when its value is absent.
    private static func value(of field: EnvelopeField, parts: EventParts) throws -> [UInt8]? {
        let event = parts.event
        var writer = JSONBodyWriter()
        switch field.source {
        case .eventId:
            writer.appendString(event.eventId)
        case .deliveryId:
            writer.appendString(event.deliveryId)
        case .eventType:
            writer.appendString(event.type)
        case .callId:
            guard let callId = event.callId else { return nil }
            writer.appendString(callId)
        case .occurredAt, .receivedAt, .sentAt:
            let instantMs =
                switch field.source {
                case .occurredAt: event.occurredAtMs
                case .receivedAt: event.receivedAtMs
                default: parts.sentAtMs
                }
            guard let json = (field.timeFormat ?? .rfc3339).json(instantMs: instantMs) else {
                throw ProfileError.instantOutOfRange(instantMs)
            }
            writer.appendRaw(json)
        case .constant:
            writer.appendString(field.constant ?? "")
        case .data:
            writer.appendRaw(try parts.dataEchoingMetadata(under: field.metadataKey))
        case .dataMember:
            // A repeated key means its last member, as it does to ingest and to JSON parsers.
            guard let member = parts.dataMembers?.last(where: { $0.key == field.member }) else { return nil }
            writer.appendRaw(event.data[member.valueRange])
        case .metadata:
            guard let metadata = event.metadata, let range = parts.metadataRange else { return nil }
            writer.appendRaw(metadata[range])
        case .metadataMember:
            guard let metadata = event.metadata,
                let member = parts.metadataMembers?.last(where: { $0.key == field.member })
            else { return nil }
            writer.appendRaw(metadata[member.valueRange])
        case .object:
            try Self.writeObject(field.fields ?? [], parts: parts, into: &writer)
        case .dataMembers:
            return nil
        }
        return writer.bytes
    }
}
