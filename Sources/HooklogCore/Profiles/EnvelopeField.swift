/// One field of a profile's envelope: a name and where its value comes from.
///
/// In a profile file: `{"name": "created", "source": "occurredAt", "timeFormat": "unixSeconds"}`.
public struct EnvelopeField: Hashable, Sendable, Codable {
    /// The JSON key; `nil` only for `dataMembers`, which splices many keys.
    public var name: String?
    /// Where the value comes from.
    public var source: EnvelopeSource
    /// How an instant is written (instant sources only; default `rfc3339`).
    public var timeFormat: TimeFormat?
    /// The string value of a `constant` field.
    public var constant: String?
    /// The member that `dataMember` or `metadataMember` reads.
    public var member: String?
    /// The fields of an `object` field, in order.
    public var fields: [EnvelopeField]?
    /// For `data`: the key under which the event's metadata is echoed inside `data` (calleague: `"metadata"`).
    public var metadataKey: String?
    /// Whether an absent value (no call id, no such member) leaves the field out instead of writing `null`.
    public var omitWhenAbsent: Bool

    /// A field; the companions a source needs are checked when a profile is decoded.
    public init(
        name: String?,
        source: EnvelopeSource,
        timeFormat: TimeFormat? = nil,
        constant: String? = nil,
        member: String? = nil,
        fields: [EnvelopeField]? = nil,
        metadataKey: String? = nil,
        omitWhenAbsent: Bool = false
    ) {
        self.name = name
        self.source = source
        self.timeFormat = timeFormat
        self.constant = constant
        self.member = member
        self.fields = fields
        self.metadataKey = metadataKey
        self.omitWhenAbsent = omitWhenAbsent
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case name, source, timeFormat, constant, member, fields, metadataKey, omitWhenAbsent
    }

    /// Decodes a field; `omitWhenAbsent` defaults to `false`.
    public init(from decoder: any Decoder) throws {
        try ProfileKeys.refuseUnknown(CodingKeys.self, in: decoder, what: "an envelope field")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try container.decodeIfPresent(String.self, forKey: .name)
        self.source = try container.decode(EnvelopeSource.self, forKey: .source)
        self.timeFormat = try container.decodeIfPresent(TimeFormat.self, forKey: .timeFormat)
        self.constant = try container.decodeIfPresent(String.self, forKey: .constant)
        self.member = try container.decodeIfPresent(String.self, forKey: .member)
        self.fields = try container.decodeIfPresent([EnvelopeField].self, forKey: .fields)
        self.metadataKey = try container.decodeIfPresent(String.self, forKey: .metadataKey)
        self.omitWhenAbsent = try container.decodeIfPresent(Bool.self, forKey: .omitWhenAbsent) ?? false
    }

    /// The first problem with this field (and the fields nested in it), or `nil` when it is well formed.
    func problem(path: String) -> String? {
        let label = "\(path)\(self.name ?? "<\(self.source.rawValue)>")"
        if self.source == .dataMembers {
            if self.name != nil { return "\(label): dataMembers splices many keys and takes no name" }
        } else if self.name?.isEmpty ?? true {
            return "\(label): a \(self.source.rawValue) field needs a name"
        }
        if self.source == .constant, self.constant == nil { return "\(label): a constant field needs `constant`" }
        if self.source != .constant, self.constant != nil { return "\(label): only a constant field takes `constant`" }
        let readsMember = self.source == .dataMember || self.source == .metadataMember
        if readsMember, self.member?.isEmpty ?? true { return "\(label): \(self.source.rawValue) needs `member`" }
        if !readsMember, self.member != nil { return "\(label): only dataMember and metadataMember take `member`" }
        if !self.source.isInstant, self.timeFormat != nil { return "\(label): only instants take `timeFormat`" }
        if self.source != .data, self.metadataKey != nil { return "\(label): only a data field takes `metadataKey`" }
        if self.source == .object {
            guard let fields = self.fields else { return "\(label): an object field needs `fields`" }
            return Self.problem(in: fields, path: label + ".")
        }
        if self.fields != nil { return "\(label): only an object field takes `fields`" }
        return nil
    }

    /// The first problem with a list of sibling fields: a bad field, a repeated name, or two `dataMembers`.
    static func problem(in fields: [EnvelopeField], path: String) -> String? {
        var names: Set<String> = []
        var spreads = 0
        for field in fields {
            if let problem = field.problem(path: path) { return problem }
            if field.source == .dataMembers { spreads += 1 }
            if let name = field.name, !names.insert(name).inserted { return "\(path)\(name): the name appears twice" }
        }
        return spreads > 1 ? "\(path): dataMembers appears more than once" : nil
    }
}
