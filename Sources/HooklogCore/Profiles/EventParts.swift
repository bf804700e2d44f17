/// An event with its data and metadata scanned once: where each value and top-level member lies.
struct EventParts {
    let event: OutgoingEvent
    let sentAtMs: Int64
    /// The range of the data value inside `event.data`, whitespace around it excluded.
    let dataRange: Range<Int>
    /// The top-level members of data; `nil` when data is not an object.
    let dataMembers: [JSONScanner.Member]?
    /// The range of the metadata value; `nil` when the event has no metadata.
    let metadataRange: Range<Int>?
    /// The top-level members of the metadata; `nil` when there is none or it is not an object.
    let metadataMembers: [JSONScanner.Member]?

    init(event: OutgoingEvent, sentAtMs: Int64) throws {
        self.event = event
        self.sentAtMs = sentAtMs
        do {
            (self.dataRange, self.dataMembers) = try JSONScanner.value(of: event.data)
        } catch {
            throw ProfileError.invalidData("\(error.reason) at byte \(error.offset)")
        }
        if let metadata = event.metadata {
            do {
                let scanned = try JSONScanner.value(of: metadata)
                (self.metadataRange, self.metadataMembers) = (scanned.range, scanned.members)
            } catch {
                throw ProfileError.invalidMetadata("\(error.reason) at byte \(error.offset)")
            }
        } else {
            self.metadataRange = nil
            self.metadataMembers = nil
        }
    }

    /// The string at `path` inside data (`["call", "id"]`: `data.call.id`), when it is one a
    /// header carries as a call id (`OutgoingEvent.isUsableCallId`); `nil` otherwise, never an
    /// error: a header copied from data must not stop a delivery.
    func dataString(at path: [String]) -> String? {
        var bytes = self.event.data
        var members = self.dataMembers
        for (index, key) in path.enumerated() {
            guard let member = members?.last(where: { $0.key == key }) else { return nil }  // the last of a repeated key
            if index == path.count - 1 {
                guard let text = try? JSONScanner.text(of: bytes, at: member.valueRange), OutgoingEvent.isUsableCallId(text) else { return nil }
                return text
            }
            bytes = Array(bytes[member.valueRange])
            members = try? JSONScanner.objectMembers(of: bytes)
        }
        return nil
    }

    /// The data bytes verbatim; with `key` and metadata, the metadata is added as the last member under `key`
    /// (unless data already has such a member, which then stands).
    func dataEchoingMetadata(under key: String?) throws -> [UInt8] {
        let data = self.event.data
        guard let key, let metadata = self.event.metadata, let metadataRange = self.metadataRange else {
            return Array(data[self.dataRange])
        }
        guard let members = self.dataMembers else {
            throw ProfileError.invalidData("the profile echoes metadata inside data, and data is not an object")
        }
        if members.contains(where: { $0.key == key }) { return Array(data[self.dataRange]) }
        // Insert after the last member's value (or just after `{`), keeping the rest of the bytes as they were.
        let insertionPoint = members.last?.valueRange.upperBound ?? self.dataRange.lowerBound + 1
        var writer = JSONBodyWriter()
        writer.appendRaw(data[self.dataRange.lowerBound..<insertionPoint])
        if !members.isEmpty { writer.append(",") }
        writer.appendString(key)
        writer.append(":")
        writer.appendRaw(metadata[metadataRange])
        writer.appendRaw(data[insertionPoint..<self.dataRange.upperBound])
        return writer.bytes
    }
}
