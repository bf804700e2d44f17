/// Whether an endpoint receives deliveries, and if not, why and since when.
public enum EndpointStatus: Sendable, Equatable {
    /// It receives deliveries.
    case enabled
    /// It does not.
    case disabled(reason: EndpointDisabledReason, atMs: UInt64)

    /// The name the API shows: `enabled` or `disabled`.
    public var name: String {
        switch self {
        case .enabled: "enabled"
        case .disabled: "disabled"
        }
    }

    /// Why it is disabled, if it is.
    public var disabledReason: EndpointDisabledReason? {
        if case .disabled(let reason, _) = self { reason } else { nil }
    }
}

extension EndpointStatus: BinaryCodable {
    private enum Tag: UInt8 {
        case enabled = 1
        case disabled = 2
    }

    func encode(to writer: inout BinaryWriter) {
        switch self {
        case .enabled:
            writer.writeTag(Tag.enabled)
        case .disabled(let reason, let atMs):
            writer.writeTag(Tag.disabled)
            writer.writeTag(reason)
            writer.writeVarint(atMs)
        }
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        switch try reader.readTag(Tag.self) {
        case .enabled: self = .enabled
        case .disabled: self = .disabled(reason: try reader.readTag(), atMs: try reader.readVarint())
        }
    }
}
