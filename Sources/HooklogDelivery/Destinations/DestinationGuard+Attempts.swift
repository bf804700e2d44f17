public import HooklogCore

extension DestinationGuard {
    /// The guard an attempt checks its URL with: its DNS wait is the default, or the attempt's
    /// whole request timeout when that is shorter.
    init(allowsPrivateNetworks: Bool, requestTimeoutMs: Int64) {
        self.init(allowsPrivateNetworks: allowsPrivateNetworks, lookupTimeoutMs: min(Self.defaultLookupTimeoutMs, requestTimeoutMs))
    }

    /// Why an attempt may not be sent to `url` now, as the attempt's response (`nil` when it
    /// may): a name that does not resolve is a connection failure, a private address a refusal,
    /// and a check cut off by a stop an interruption.
    func refusal(of url: String) async -> AttemptResponse? {
        do {
            try await self.check(url)
            return nil
        } catch {
            if Task.isCancelled { return .failed(.interrupted, "cut off: Hooklog was stopping") }
            return .failed(error.isUnresolvable ? .connection : .refused, error.description)
        }
    }
}
