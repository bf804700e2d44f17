public import HooklogCore

extension DestinationGuard {
    /// The guard an attempt of `tenantId` checks its URL with (`lookupTimeoutMs(forRequestTimeoutMs:)`).
    init(allowsPrivateNetworks: Bool, requestTimeoutMs: Int64, for tenantId: TenantID, resolver: HostResolver = .shared) {
        self.init(
            allowsPrivateNetworks: allowsPrivateNetworks,
            lookupTimeoutMs: Self.lookupTimeoutMs(forRequestTimeoutMs: requestTimeoutMs),
            for: tenantId,
            resolver: resolver
        )
    }

    /// An attempt's DNS wait: the default, or its whole request timeout when that is shorter.
    static func lookupTimeoutMs(forRequestTimeoutMs requestTimeoutMs: Int64) -> Int64 {
        min(Self.defaultLookupTimeoutMs, requestTimeoutMs)
    }

    /// What an attempt does about its URL: send (to the pinned address, if there is one), or not
    /// send, with the response that says why.
    enum SendingCheck {
        case send(ConnectionPin?)
        case refused(AttemptResponse)
    }

    /// Whether an attempt may be sent to `url` now, and where it connects (`connectionPin`): a
    /// name that does not resolve is a connection failure, a private address a refusal, a check
    /// cut off by a stop an interruption, and a name not looked up for want of a free lookup
    /// held back (`heldBackMs()`), with no retry used.
    func checkForSending(_ url: String) async -> SendingCheck {
        do {
            return .send(try await self.connectionPin(for: url))
        } catch {
            if Task.isCancelled { return .refused(.failed(.interrupted, "cut off: Hooklog was stopping")) }
            if error.isResolverBusy { return .refused(.heldBack("not sent: \(error.description)", forMs: Self.heldBackMs())) }
            return .refused(.failed(error.isUnresolvable ? .connection : .refused, error.description))
        }
    }

    /// How long a delivery whose name was not looked up waits: a lookup's wait or two, spread so
    /// that those held back together do not all come back at one moment.
    static func heldBackMs() -> UInt64 {
        UInt64(Self.defaultLookupTimeoutMs) + UInt64.random(in: 0...UInt64(Self.defaultLookupTimeoutMs))
    }
}
