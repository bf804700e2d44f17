/// An endpoint as the `endpoints` table keeps it: its configuration and its health.
public struct EndpointState: Sendable, Equatable {
    /// The value format this build writes (and the only one it reads).
    public static let valueVersion: UInt8 = 6

    /// Its tenant.
    public var tenantId: TenantID
    /// Where deliveries are posted.
    public private(set) var url: String
    /// The log sequence since which deliveries are posted there (its creation, or the change to
    /// it): an attempt journaled as started before went to another URL, and its result says
    /// nothing of this one's health. Log order, not clocks: a change and a start stamped by two
    /// threads may carry times in the other order.
    public private(set) var urlSinceSequence: UInt64
    /// Free text from its owner.
    public var description: String
    /// The event types it receives; `"*"` means all.
    public var enabledEvents: [String]
    /// The wire profile.
    public var profile: String
    /// The secret that signs now.
    public var signingSecret: String
    /// The secrets it replaced whose grace may not be over, newest first (`PreviousSecret.retiring`).
    public var previousSecrets: [PreviousSecret]
    /// The bearer token, for profiles that send one.
    public var bearerToken: String?
    /// The owner's metadata, JSON bytes verbatim.
    public var metadata: [UInt8]?
    /// Enabled, or disabled with a reason.
    public var status: EndpointStatus
    /// When it was created, in milliseconds since 1970.
    public var createdAtMs: UInt64
    /// The log sequence of its `EndpointCreated` record (its place in `tenantEndpoints`).
    public var createdSequence: UInt64
    /// When its configuration last changed, in milliseconds since 1970.
    public var updatedAtMs: UInt64
    /// When a delivery to it last succeeded.
    public private(set) var lastSuccessAtMs: UInt64?
    /// When the latest run of failures began: `nil` after a success, a new URL, or being enabled
    /// again. A run is over once more than `failingRunBreakMs` passes without a failure, and
    /// this stays as it was until the next failure starts a new one (`failingSinceMs(asOfMs:)`).
    public private(set) var failingSinceMs: UInt64?
    /// When the latest failure of that run happened.
    public private(set) var lastFailureAtMs: UInt64?

    /// The endpoint as `record`, journaled at `sequence`, creates it: enabled, with no health yet.
    public init(created record: EndpointCreated, sequence: UInt64) {
        self.init(
            tenantId: record.tenantId,
            url: record.url,
            description: record.description,
            enabledEvents: record.enabledEvents,
            profile: record.profile,
            signingSecret: record.signingSecret,
            bearerToken: record.bearerToken,
            metadata: record.metadata,
            status: .enabled,
            createdAtMs: record.createdAtMs,
            createdSequence: sequence,
            updatedAtMs: record.createdAtMs
        )
    }

    /// An endpoint's state.
    public init(
        tenantId: TenantID,
        url: String,
        description: String,
        enabledEvents: [String],
        profile: String,
        signingSecret: String,
        previousSecrets: [PreviousSecret] = [],
        bearerToken: String? = nil,
        metadata: [UInt8]? = nil,
        status: EndpointStatus = .enabled,
        createdAtMs: UInt64,
        createdSequence: UInt64,
        updatedAtMs: UInt64,
        lastSuccessAtMs: UInt64? = nil,
        failingSinceMs: UInt64? = nil,
        lastFailureAtMs: UInt64? = nil,
        urlSinceSequence: UInt64? = nil
    ) {
        self.tenantId = tenantId
        self.url = url
        self.urlSinceSequence = urlSinceSequence ?? createdSequence
        self.description = description
        self.enabledEvents = enabledEvents
        self.profile = profile
        self.signingSecret = signingSecret
        self.previousSecrets = previousSecrets
        self.bearerToken = bearerToken
        self.metadata = metadata
        self.status = status
        self.createdAtMs = createdAtMs
        self.createdSequence = createdSequence
        self.updatedAtMs = updatedAtMs
        self.lastSuccessAtMs = lastSuccessAtMs
        self.failingSinceMs = failingSinceMs
        self.lastFailureAtMs = lastFailureAtMs
    }

    /// How long without a failed attempt ends a run of failures: 25 hours, more than any gap
    /// between retries (`RetrySchedule.longestDelayMs`, jitter and a request included). An
    /// endpoint nobody sent to for a day or more (no traffic, or Hooklog itself stopped) was not
    /// seen failing all that time, so a replay or a catch-up after it starts a new run instead of
    /// finding the endpoint failing since long ago.
    public static let failingRunBreakMs: UInt64 = 25 * 60 * 60 * 1000

    /// When the run of failures going on at `nowMs` began; `nil` when none is. A disabled
    /// endpoint gets no attempts, so its run stays as it was when it was disabled.
    public func failingSinceMs(asOfMs nowMs: UInt64) -> UInt64? {
        guard let failingSinceMs = self.failingSinceMs, let lastFailureAtMs = self.lastFailureAtMs else { return nil }
        if case .disabled = self.status { return failingSinceMs }
        return Self.isWithinRun(nowMs, lastFailureAtMs: lastFailureAtMs) ? failingSinceMs : nil
    }

    /// Whether an instant is no more than `failingRunBreakMs` after a run's latest failure.
    private static func isWithinRun(_ instantMs: UInt64, lastFailureAtMs: UInt64) -> Bool {
        instantMs <= lastFailureAtMs || instantMs - lastFailureAtMs <= Self.failingRunBreakMs
    }

    /// A failed attempt finished at `atMs`: it goes into the run of failures going on then, or
    /// starts one. Attempts finish concurrently, so their records need not come in time order:
    /// a failure from before the latest success, or from before a quiet spell that preceded the
    /// run, changes nothing.
    public mutating func noteFailure(atMs: UInt64) {
        if let lastSuccessAtMs = self.lastSuccessAtMs, atMs <= lastSuccessAtMs { return }
        guard let failingSinceMs = self.failingSinceMs, let lastFailureAtMs = self.lastFailureAtMs,
            Self.isWithinRun(atMs, lastFailureAtMs: lastFailureAtMs)
        else {
            self.failingSinceMs = atMs
            self.lastFailureAtMs = atMs
            return
        }
        if atMs < failingSinceMs && failingSinceMs - atMs > Self.failingRunBreakMs { return }
        self.failingSinceMs = min(failingSinceMs, atMs)
        self.lastFailureAtMs = max(lastFailureAtMs, atMs)
    }

    /// A delivery succeeded at `atMs`: the endpoint is healthy again, unless a later failure was
    /// journaled first (attempts finish concurrently). Then the run goes on, from that failure:
    /// the failures between the success and it are not kept, so the run is never made longer
    /// than it is known to be.
    public mutating func noteSuccess(atMs: UInt64) {
        self.lastSuccessAtMs = max(self.lastSuccessAtMs ?? atMs, atMs)
        guard let failingSinceMs = self.failingSinceMs, let lastFailureAtMs = self.lastFailureAtMs, atMs < lastFailureAtMs else {
            self.endFailingRun()
            return
        }
        if atMs >= failingSinceMs { self.failingSinceMs = lastFailureAtMs }
    }

    /// Whether it posts to `url` now: the same bytes, not an equal string (`caf\u{E9}` and
    /// `cafe\u{301}` are equal strings, and different paths on the wire).
    public func postsTo(_ url: String) -> Bool {
        url.utf8.elementsEqual(self.url.utf8)
    }

    /// Posts its deliveries to `url` from log sequence `sequence` on; a new URL starts its health
    /// afresh (the failures were the old URL's), the same URL changes nothing.
    public mutating func move(to url: String, atSequence sequence: UInt64) {
        guard !self.postsTo(url) else { return }
        self.url = url
        self.urlSinceSequence = sequence
        self.endFailingRun()
    }

    /// Healthy again (a success, a new URL, enabled again): no run of failures.
    public mutating func endFailingRun() {
        self.failingSinceMs = nil
        self.lastFailureAtMs = nil
    }

    /// Whether it receives events of `type` (`"*"` in `enabledEvents` matches every type).
    public func subscribes(to type: String) -> Bool {
        self.enabledEvents.contains { $0 == "*" || $0 == type }
    }

    /// The stored bytes: version, then fields.
    public func encode() -> [UInt8] {
        BinaryFraming.encode(self, version: Self.valueVersion)
    }

    /// Reads what `encode()` wrote.
    public init(decoding bytes: some Collection<UInt8>) throws(RecordDecodingError) {
        self = try BinaryFraming.decode(Self.self, from: bytes, versions: Self.valueVersion...Self.valueVersion)
    }
}

extension EndpointState: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.writeID(self.tenantId)
        writer.writeString(self.url)
        writer.writeString(self.description)
        writer.writeStrings(self.enabledEvents)
        writer.writeString(self.profile)
        writer.writeString(self.signingSecret)
        writer.writeArray(self.previousSecrets)
        writer.writeOptionalString(self.bearerToken)
        writer.writeOptionalBytes(self.metadata)
        writer.write(self.status)
        writer.writeVarint(self.createdAtMs)
        writer.writeVarint(self.createdSequence)
        writer.writeVarint(self.updatedAtMs)
        writer.writeOptionalVarint(self.lastSuccessAtMs)
        writer.writeOptionalVarint(self.failingSinceMs)
        writer.writeOptionalVarint(self.lastFailureAtMs)
        writer.writeVarint(self.urlSinceSequence)
    }

    init(from reader: inout BinaryReader) throws(RecordDecodingError) {
        self.tenantId = try reader.readID()
        self.url = try reader.readString()
        self.description = try reader.readString()
        self.enabledEvents = try reader.readStrings()
        self.profile = try reader.readString()
        self.signingSecret = try reader.readString()
        self.previousSecrets = try reader.readArray()
        self.bearerToken = try reader.readOptionalString()
        self.metadata = try reader.readOptionalBytes()
        self.status = try reader.read()
        self.createdAtMs = try reader.readVarint()
        self.createdSequence = try reader.readVarint()
        self.updatedAtMs = try reader.readVarint()
        self.lastSuccessAtMs = try reader.readOptionalVarint()
        self.failingSinceMs = try reader.readOptionalVarint()
        self.lastFailureAtMs = try reader.readOptionalVarint()
        self.urlSinceSequence = try reader.readVarint()
    }
}

extension EndpointState: ProjectedEntity {
    public static var table: ProjectionTable { .endpoints }
    public static func key(_ id: EndpointID) -> [UInt8] { ProjectionKeys.endpoint(id) }

    /// Its place in its tenant's list.
    public func lifetimeIndexEntries(of id: EndpointID) -> [IndexEntry] {
        [IndexEntry(.tenantEndpoints, ProjectionKeys.tenantEndpoint(tenantId: self.tenantId, createdSequence: self.createdSequence, endpointId: id))]
    }
}
