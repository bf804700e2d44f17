public import HooklogCore

extension DestinationGuard {
    /// The guard an attempt of `tenantId` checks its URL with (`lookupTimeoutMs(forRequestTimeoutMs:)`).
    init(allowsPrivateNetworks: Bool, requestTimeoutMs: Int64, for tenantId: TenantID) {
        self.init(allowsPrivateNetworks: allowsPrivateNetworks, lookupTimeoutMs: Self.lookupTimeoutMs(forRequestTimeoutMs: requestTimeoutMs), for: tenantId)
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
    /// name that does not resolve is a connection failure, a private address a refusal, and a
    /// check cut off by a stop an interruption.
    func checkForSending(_ url: String) async -> SendingCheck {
        do {
            return .send(try await self.connectionPin(for: url))
        } catch {
            if Task.isCancelled { return .refused(.failed(.interrupted, "cut off: Hooklog was stopping")) }
            return .refused(.failed(error.isUnresolvable ? .connection : .refused, error.description))
        }
    }
}
