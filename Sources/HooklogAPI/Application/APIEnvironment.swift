public import HooklogCore
public import HooklogDelivery
public import HooklogJournal

/// What the routes work with: the store, the catalogs, the configuration, the metrics, a clock.
public struct APIEnvironment: Sendable {
    /// Hooklog's state and its commands.
    public let store: HooklogStore
    /// The service's configuration.
    public let configuration: HooklogConfiguration
    /// The wire profiles endpoints may use.
    public let profiles: WireProfileCatalog
    /// The event types events may have and endpoints may subscribe to.
    public let eventTypes: EventTypeCatalog
    /// Where counts and latencies go.
    public let metrics: HooklogMetrics
    /// Whether the service takes traffic (`/readyz`).
    public let isReady: @Sendable () -> Bool
    /// Milliseconds since 1970.
    public let clock: @Sendable () -> UInt64
    /// Calls endpoints while a caller is on the line; `nil` where no invocations are served
    /// (the invocation routes then answer 503).
    public let invoker: MidCallInvoker?
    /// The callers with an export streaming now: one each.
    let runningExports = RunningExports()
    /// Where endpoint URLs' hosts are looked up: the process's resolver unless a test stands in.
    package var hostResolver = HostResolver.shared

    /// An environment of these parts.
    public init(
        store: HooklogStore,
        configuration: HooklogConfiguration,
        profiles: WireProfileCatalog,
        eventTypes: EventTypeCatalog,
        metrics: HooklogMetrics,
        isReady: @escaping @Sendable () -> Bool,
        clock: @escaping @Sendable () -> UInt64 = JournalConfiguration.wallClockMs,
        invoker: MidCallInvoker? = nil
    ) {
        self.store = store
        self.configuration = configuration
        self.profiles = profiles
        self.eventTypes = eventTypes
        self.metrics = metrics
        self.isReady = isReady
        self.clock = clock
        self.invoker = invoker
    }

    /// How long an event's inline `webhook_url` is looked up at ingest before it is taken anyway.
    static let inlineLookupTimeoutMs: Int64 = 1_000

    /// Refuses (422) a URL that may not receive webhooks: not `https`, or a host that is or
    /// resolves to a loopback, private, link-local or metadata address, unless configured otherwise,
    /// or whose name has no address. A name DNS did not answer for now is no verdict on the URL:
    /// 503, to be asked again.
    ///
    /// With `takingUnresolvedNames` (an event's inline `webhook_url`), a name that does not
    /// resolve within `inlineLookupTimeoutMs` is taken: a moment's DNS failure must not turn an
    /// event the platform cannot send again into a 422; every attempt checks the name again.
    func checkDestination(_ url: String, field: String, of tenantId: TenantID, takingUnresolvedNames: Bool = false) async throws {
        let lookupTimeoutMs = takingUnresolvedNames ? Self.inlineLookupTimeoutMs : DestinationGuard.defaultLookupTimeoutMs
        do {
            let destinations = DestinationGuard(
                allowsPrivateNetworks: self.configuration.allowsPrivateURLs, lookupTimeoutMs: lookupTimeoutMs, for: tenantId, resolver: self.hostResolver
            )
            try await destinations.check(url)
        } catch where takingUnresolvedNames && error.isUnresolvable {
            return
        } catch where error.isTemporary {
            throw APIError.lookupUnavailable("\(field): \(error.description); try again shortly")
        } catch {
            throw APIError.invalidURL("\(field): \(error.description)")
        }
    }

    /// `checkDestination`, but not for a repeat of a request already answered (`isRepeat`, asked
    /// of the store): the repeat gets its first answer whatever its URL resolves to now, also when
    /// the first one was answered while this one's URL was being checked.
    func checkDestination(
        _ url: String,
        field: String,
        of tenantId: TenantID,
        takingUnresolvedNames: Bool = false,
        unlessRepeat isRepeat: () throws -> Bool
    ) async throws {
        guard try !isRepeat() else { return }
        do {
            try await self.checkDestination(url, field: field, of: tenantId, takingUnresolvedNames: takingUnresolvedNames)
        } catch {
            guard try isRepeat() else { throw error }
        }
    }

    /// `checkDestination` without the DNS lookup: the URL's form, and the address if the host is
    /// an address literal. For `/v1/invoke`, whose budget a lookup must not spend outside the
    /// invoker (which checks the name within the budget when it calls).
    func checkDestinationWithoutLookup(_ url: String, field: String) throws {
        do {
            try DestinationGuard(allowsPrivateNetworks: self.configuration.allowsPrivateURLs).checkWithoutLookup(url)
        } catch {
            throw APIError.invalidURL("\(field): \(error.description)")
        }
    }

    /// Refuses (422) an event type that the catalog does not list, or one only Hooklog emits.
    func checkPostableEventType(_ type: String) throws {
        guard !type.isEmpty else { throw APIError.unknownEventType("type is required, e.g. call.completed") }
        guard self.eventTypes.contains(type) else {
            throw APIError.unknownEventType("\(APIError.quoted(type)) is not a known event type; GET /v1/event_types lists them")
        }
        guard type != EndpointHealthPolicy.disabledEventType else {
            throw APIError.unknownEventType("\"\(type)\" is emitted by Hooklog itself and cannot be posted")
        }
    }

    /// A subscription list with each type once, in the order given; refuses (422) one that is
    /// empty or names an unknown type. Each type once keeps an endpoint's row, which every
    /// event's fan-out reads on the writer thread, no longer than the catalog.
    func subscriptions(_ types: [String]) throws -> [String] {
        for type in types where type != "*" && !self.eventTypes.contains(type) {
            throw APIError.unknownEventType("enabled_events: \(APIError.quoted(type)) is not a known event type")
        }
        var seen = Set<String>()
        return types.filter { seen.insert($0).inserted }
    }

    /// Refuses `enabledEvents` that do not fit `profile`: an endpoint of a delivery profile
    /// subscribes to at least one type; one of a mid-call profile to none, as its requests
    /// answer what the assistant says (`/v1/invoke`): an event sent through it would reach the
    /// tool as a call, and a tool answering it 410 would be disabled for the calls it serves.
    static func checkSubscriptions(_ enabledEvents: [String], of profile: WireProfile) throws {
        if profile.isForMidCall && !enabledEvents.isEmpty {
            throw APIError.invalidField("the \(profile.name) profile is for mid-call invocations (/v1/invoke), not events: give enabled_events [] (the default for it)")
        }
        if !profile.isForMidCall && enabledEvents.isEmpty {
            throw APIError.invalidField("enabled_events must list at least one type, or \"*\" for all (the \(profile.name) profile delivers events)")
        }
    }

    /// The profile called `name`, or a 422 naming the known ones.
    func profile(_ name: String) throws -> WireProfile {
        guard let profile = self.profiles[name] else {
            throw APIError.invalidField("profile \(APIError.quoted(name)) is not known; use one of \(self.profiles.names.joined(separator: ", "))")
        }
        return profile
    }

    /// How long a secret rotated out of `scheme` still signs beside the new one: the configured
    /// grace where the scheme's header carries several signatures, none where it carries one.
    func rotationGraceMs(for scheme: SignatureScheme) -> UInt64 {
        scheme.signsWithPreviousSecret ? self.configuration.secretRotationGraceMs : 0
    }

    /// A new signing secret for `scheme`: 32 random bytes, or as near as the scheme takes.
    static func newSecret(for scheme: SignatureScheme) throws -> String {
        let range = scheme.secretRandomByteRange
        return try scheme.makeSecret(randomBytes: Self.randomBytes(max(range.lowerBound, min(32, range.upperBound))))
    }

    /// `count` bytes from the system's secure random source.
    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}
