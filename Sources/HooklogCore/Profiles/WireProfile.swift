#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What a receiver sees: envelope shape, header names and signature scheme — data, loaded from `Config/profiles/*.json`.
public struct WireProfile: Hashable, Sendable, Codable {
    /// The name endpoints choose the profile by (`standard`, `callingbox`, …).
    public var name: String
    /// A sentence for operators: whose format this is.
    public var description: String?
    /// The `Content-Type` of the body.
    public var contentType: String
    /// How deliveries are authenticated.
    public var signatureScheme: SignatureScheme
    /// Whether a 4xx other than 410 and 429 is retried (default `true`; mid-call says no).
    public var retries4xx: Bool
    /// The body's top-level fields, in order.
    public var envelope: [EnvelopeField]
    /// Headers besides `Content-Type` and the scheme's authentication headers, in order.
    public var headers: [HeaderTemplate]
    /// Whether it is made for mid-call invocations (`/v1/invoke`), whose endpoint answers what
    /// the assistant says, rather than for deliveries (`"midCall": true`; default `false`).
    public var isForMidCall: Bool

    /// The profile an endpoint gets when it names none.
    public static let defaultName = "standard"

    /// A profile; `validate()` checks it.
    public init(
        name: String,
        description: String? = nil,
        contentType: String = "application/json",
        signatureScheme: SignatureScheme,
        retries4xx: Bool = true,
        envelope: [EnvelopeField],
        headers: [HeaderTemplate] = [],
        isForMidCall: Bool = false
    ) {
        self.name = name
        self.description = description
        self.contentType = contentType
        self.signatureScheme = signatureScheme
        self.retries4xx = retries4xx
        self.envelope = envelope
        self.headers = headers
        self.isForMidCall = isForMidCall
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case name, description, contentType, signatureScheme, retries4xx, envelope, headers
        case isForMidCall = "midCall"
    }

    /// Decodes a profile; `contentType` defaults to `application/json`, `retries4xx` to `true`,
    /// `headers` to none, `midCall` to `false`.
    public init(from decoder: any Decoder) throws {
        try ProfileKeys.refuseUnknown(CodingKeys.self, in: decoder, what: "the profile")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try container.decode(String.self, forKey: .name)
        self.description = try container.decodeIfPresent(String.self, forKey: .description)
        self.contentType = try container.decodeIfPresent(String.self, forKey: .contentType) ?? "application/json"
        self.signatureScheme = try container.decode(SignatureScheme.self, forKey: .signatureScheme)
        self.retries4xx = try container.decodeIfPresent(Bool.self, forKey: .retries4xx) ?? true
        self.envelope = try container.decode([EnvelopeField].self, forKey: .envelope)
        self.headers = try container.decodeIfPresent([HeaderTemplate].self, forKey: .headers) ?? []
        self.isForMidCall = try container.decodeIfPresent(Bool.self, forKey: .isForMidCall) ?? false
    }

    /// Decodes and validates a profile from the bytes of its JSON file.
    public static func decode(from jsonBytes: [UInt8]) throws -> WireProfile {
        let profile: WireProfile
        do {
            profile = try JSONDecoder().decode(WireProfile.self, from: Data(jsonBytes))
        } catch let error as ProfileError {
            throw error
        } catch {
            throw ProfileError.invalidProfile("not a profile document: \(error)")
        }
        try profile.validate()
        return profile
    }

    /// Throws `ProfileError.invalidProfile` unless every field and header is well formed and no header name repeats.
    public func validate() throws {
        guard !self.name.isEmpty else { throw ProfileError.invalidProfile("the profile has no name") }
        if let problem = EnvelopeField.problem(in: self.envelope, path: "\(self.name): envelope.") {
            throw ProfileError.invalidProfile(problem)
        }
        // Checked here, not first at a send: a value no header can carry would fail every
        // delivery of the profile, retried to the end and held against its endpoints' health.
        guard !self.contentType.isEmpty, Self.canCarryInHeader(self.contentType) else {
            throw ProfileError.invalidProfile("\(self.name): `contentType` must be a header value: not empty, no control characters")
        }
        var headerNames: Set<String> = ["content-type"]
        for name in self.signatureScheme.headerNames {
            headerNames.insert(name.lowercased())
        }
        for header in self.headers {
            guard Self.isToken(header.name) else {
                throw ProfileError.invalidProfile("\(self.name): \"\(header.name)\" is not a header name")
            }
            guard headerNames.insert(header.name.lowercased()).inserted else {
                throw ProfileError.invalidProfile("\(self.name): header \(header.name) is sent twice")
            }
            guard (header.source == .constant) == (header.constant != nil) else {
                throw ProfileError.invalidProfile("\(self.name): header \(header.name): `constant` goes with a constant source only")
            }
            if let constant = header.constant, !Self.canCarryInHeader(constant) {
                throw ProfileError.invalidProfile("\(self.name): header \(header.name): its `constant` has a control character, which no header value may")
            }
            if let dataPath = header.dataPath {
                guard header.source == .callId, !dataPath.isEmpty else {
                    throw ProfileError.invalidProfile("\(self.name): header \(header.name): `dataPath` names members of data, for a callId header only")
                }
            }
        }
    }

    /// Whether `name` is an HTTP token (RFC 9110 §5.6.2).
    private static func isToken(_ name: String) -> Bool {
        !name.isEmpty
            && name.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"):
                    true
                default:
                    Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
                }
            }
    }
}
