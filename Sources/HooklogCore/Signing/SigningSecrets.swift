/// The secrets an endpoint signs with: the current one and, during a rotation's grace period, the previous one.
public struct SigningSecrets: Equatable, Sendable {
    /// The default time a rotated-out secret keeps signing: 24 hours.
    public static let defaultGracePeriodMs: UInt64 = 24 * 60 * 60 * 1000

    /// The newest secret; it always signs.
    public var current: String
    /// The secrets it replaced whose grace periods may not be over, newest first.
    public var previous: [PreviousSecret]

    /// Secrets with `current` and the rotated-out ones (`previous`, newest first).
    public init(current: String, previous: [PreviousSecret] = []) {
        self.current = current
        self.previous = previous
    }

    /// The secrets after rotating to `newSecret` at `nowMs`: the current one retires for
    /// `gracePeriodMs`, beside those retired before (`PreviousSecret.retiring`).
    public func rotated(to newSecret: String, nowMs: UInt64, gracePeriodMs: UInt64 = Self.defaultGracePeriodMs) -> Self {
        Self(current: newSecret, previous: PreviousSecret.retiring(self.current, untilMs: nowMs + gracePeriodMs, atMs: nowMs, before: self.previous))
    }

    /// The secrets that sign at `nowMs`, newest first.
    public func signing(atMs nowMs: UInt64) -> [String] {
        [self.current] + self.previous.filter { nowMs < $0.validUntilMs }.map(\.secret)
    }
}
