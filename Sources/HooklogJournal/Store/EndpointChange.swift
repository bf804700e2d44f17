public import HooklogCore

/// The fields of an endpoint that a PATCH changes (the API has checked each value); `nil` or
/// `.keep` leaves a field as it is.
public struct EndpointChange: Sendable, Equatable {
    /// A new URL.
    public var url: String?
    /// A new description.
    public var description: String?
    /// A new list of event types (`"*"` for all).
    public var enabledEvents: [String]?
    /// A new wire profile's name.
    public var profile: String?
    /// A new bearer token, or its removal.
    public var bearerToken: NullableUpdate<String>
    /// New metadata (JSON bytes), or its removal.
    public var metadata: NullableUpdate<[UInt8]>
    /// `true` enables a disabled endpoint, `false` disables an enabled one (as its owner's choice).
    public var isEnabled: Bool?

    /// A change; every field is left alone unless given.
    public init(
        url: String? = nil,
        description: String? = nil,
        enabledEvents: [String]? = nil,
        profile: String? = nil,
        bearerToken: NullableUpdate<String> = .keep,
        metadata: NullableUpdate<[UInt8]> = .keep,
        isEnabled: Bool? = nil
    ) {
        self.url = url
        self.description = description
        self.enabledEvents = enabledEvents
        self.profile = profile
        self.bearerToken = bearerToken
        self.metadata = metadata
        self.isEnabled = isEnabled
    }

    /// Whether any field of the configuration (not the enabled state) changes.
    var changesConfiguration: Bool {
        self.url != nil || self.description != nil || self.enabledEvents != nil || self.profile != nil
            || self.bearerToken != .keep || self.metadata != .keep
    }
}
