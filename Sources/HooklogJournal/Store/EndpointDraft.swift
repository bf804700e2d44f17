public import HooklogCore

/// What a new endpoint is made of (the API checks the URL and fills the defaults first).
public struct EndpointDraft: Sendable, Equatable {
    /// Where deliveries go.
    public var url: String
    /// A note for people.
    public var description: String
    /// The event types it receives; `"*"` for all.
    public var enabledEvents: [String]
    /// The wire profile's name.
    public var profile: String
    /// The secret deliveries are signed with.
    public var signingSecret: String
    /// A bearer token for profiles that authenticate with one.
    public var bearerToken: String?
    /// JSON the endpoint's owner attached, verbatim.
    public var metadata: [UInt8]?

    /// An endpoint draft.
    public init(
        url: String,
        description: String = "",
        enabledEvents: [String] = ["*"],
        profile: String = "standard",
        signingSecret: String,
        bearerToken: String? = nil,
        metadata: [UInt8]? = nil
    ) {
        self.url = url
        self.description = description
        self.enabledEvents = enabledEvents
        self.profile = profile
        self.signingSecret = signingSecret
        self.bearerToken = bearerToken
        self.metadata = metadata
    }
}
