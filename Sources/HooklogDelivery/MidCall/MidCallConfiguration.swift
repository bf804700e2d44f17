/// How mid-call invocations retry and what they say when they fail.
public struct MidCallConfiguration: Sendable {
    /// Further tries after a 5xx, a timeout or a connection error (a 4xx is never retried), after
    /// 100 ms, 200 ms, 400 ms, … (±20 %).
    public var retryCount: Int
    /// The deadline of one try; the caller's budget is separate and usually shorter.
    public var attemptTimeoutMs: Int64
    /// The largest answer passed back; a larger one fails the call (cut, it would be read wrong).
    public var maxResponseBytes: Int
    /// What the assistant says while a call without its own waiting message runs past its
    /// budget: the generic hold message the seeds describe.
    public var waitingSay: String
    /// What the assistant says when the endpoint fails for good.
    public var fallbackSay: String
    /// What it does then: `transfer` or `voicemail`.
    public var fallbackNextAction: String
    /// Where a `transfer` goes (the seed's `transfer_to`, a phone number); `nil` leaves it to
    /// the platform.
    public var fallbackTransferTo: String?
    /// `HOOKLOG_ALLOW_PRIVATE_URLS`.
    public var allowsPrivateNetworks: Bool
    /// The most calls running at once, answered or not (a call outlives a short budget); past it
    /// new invocations are refused, so that a flood of them cannot take every socket.
    public var maxRunningCalls: Int
    /// The most of them one tenant's calls may take, so that one tenant calling endpoints that
    /// never answer cannot leave every other's live calls with `busy`.
    public var maxRunningCallsPerTenant: Int

    /// - Parameters:
    ///   - retryCount: 1 unless given, as the seeds describe.
    ///   - attemptTimeoutMs: 10 s unless given.
    ///   - maxResponseBytes: 256 KiB unless given.
    ///   - waitingSay: "I'm checking that for you, please hold." unless given.
    ///   - fallbackSay: a short apology unless given.
    ///   - fallbackNextAction: `transfer` unless given.
    ///   - fallbackTransferTo: none unless given.
    ///   - allowsPrivateNetworks: `false` unless given.
    ///   - maxRunningCalls: 256 unless given.
    ///   - maxRunningCallsPerTenant: 64 unless given.
    public init(
        retryCount: Int = 1,
        attemptTimeoutMs: Int64 = 10_000,
        maxResponseBytes: Int = 256 << 10,
        waitingSay: String = "I'm checking that for you, please hold.",
        fallbackSay: String = "I'm sorry, I can't check that right now. Let me connect you with someone who can help.",
        fallbackNextAction: String = "transfer",
        fallbackTransferTo: String? = nil,
        allowsPrivateNetworks: Bool = false,
        maxRunningCalls: Int = 256,
        maxRunningCallsPerTenant: Int = 64
    ) {
        self.retryCount = retryCount
        self.attemptTimeoutMs = attemptTimeoutMs
        self.maxResponseBytes = maxResponseBytes
        self.waitingSay = waitingSay
        self.fallbackSay = fallbackSay
        self.fallbackNextAction = fallbackNextAction
        self.fallbackTransferTo = fallbackTransferTo
        self.allowsPrivateNetworks = allowsPrivateNetworks
        self.maxRunningCalls = maxRunningCalls
        self.maxRunningCallsPerTenant = maxRunningCallsPerTenant
    }
}
