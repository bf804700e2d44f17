/// One header a profile sends besides `Content-Type` and the signature scheme's headers.
///
/// In a profile file: `{"name": "CallingBox-Event-Id", "source": "eventId"}`.
public struct HeaderTemplate: Hashable, Sendable, Codable {
    /// The header name.
    public var name: String
    /// Where the value comes from.
    public var source: HeaderSource
    /// The value of a `constant` header.
    public var constant: String?
    /// For a `callId` header: the member path inside the event's `data` whose string it copies
    /// first (CallingBox's `X-CallingBox-Call-Id` is "a convenience copy of data.call.id"); the
    /// event's call id when data has no such string.
    public var dataPath: [String]?

    /// A header named `name` whose value comes from `source`.
    public init(name: String, source: HeaderSource, constant: String? = nil, dataPath: [String]? = nil) {
        self.name = name
        self.source = source
        self.constant = constant
        self.dataPath = dataPath
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case name, source, constant, dataPath
    }

    public init(from decoder: any Decoder) throws {
        try ProfileKeys.refuseUnknown(CodingKeys.self, in: decoder, what: "a header")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try container.decode(String.self, forKey: .name)
        self.source = try container.decode(HeaderSource.self, forKey: .source)
        self.constant = try container.decodeIfPresent(String.self, forKey: .constant)
        self.dataPath = try container.decodeIfPresent([String].self, forKey: .dataPath)
    }
}
