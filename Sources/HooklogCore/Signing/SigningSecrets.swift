/// The secrets an endpoint signs with: the current one and, during a rotation's grace period, the previous one.
public struct SigningSecrets: Equatable, Sendable {
    /// The default time a rotated-out secret keeps signing: 24 hours.
    public static let defaultGracePeriodMs: UInt64 = 24 * 60 * 60 * 1000

    /// The newest secret; it always signs.
    public var current: String
    /// The secret it replaced, if its grace period may not be over.
    public var previous: PreviousSecret?

    /// Secrets with `current` and, optionally, a `previous` one in its grace period.
    public init(current: String, previous: PreviousSecret? = nil) {
        self.current = current
        self.previous = previous
    }

    /// The secrets after rotating to `newSecret` at `nowMs`: the current one retires for `gracePeriodMs`.
    public func rotated(to newSecret: String, nowMs: UInt64, gracePeriodMs: UInt64 = Self.defaultGracePeriodMs) -> Self {
        Self(current: newSecret, previous: PreviousSecret(secret: self.current, validUntilMs: nowMs + gracePeriodMs))
    }

    /// The secrets that sign at `nowMs`, newest first.
    public func signing(atMs nowMs: UInt64) -> [String] {
        guard let previous = self.previous, nowMs < previous.validUntilMs else { return [self.current] }
        return [self.current, previous.secret]
    }
}
