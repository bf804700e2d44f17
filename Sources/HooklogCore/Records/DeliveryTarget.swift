/// Where a delivery goes: a registered endpoint, or the URL an event named inline.
public enum DeliveryTarget: Sendable, Hashable {
    /// A registered endpoint of the event's tenant.
    case endpoint(EndpointID)
    /// The event's own `webhook_url`.
    case inline(url: String)

    /// The endpoint, if the target is one.
    public var endpointId: EndpointID? {
        if case .endpoint(let id) = self { id } else { nil }
    }
}

extension DeliveryTarget: BinaryCodable {
    private enum Tag: UInt8 {
        case endpoint = 1
        case inline = 2
    }

    func encode(to writer: inout BinaryWriter) {
        switch self {
        case .endpoint(let id):
            writer.writeTag(Tag.endpoint)
            writer.writeID(id)
        case .inline(let url):
            writer.writeTag(Tag.inline)
            writer.writeString(url)
        }
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        switch try reader.readTag(Tag.self) {
        case .endpoint: self = .endpoint(try reader.readID())
        case .inline: self = .inline(url: try reader.readString())
        }
    }
}
