/// A secret that has been rotated out but still signs until its grace period ends.
public struct RetiringSecret: Hashable, Sendable, Codable {
    /// The previous secret, exactly as it was shown to the user.
    public var secret: String
    /// The first instant (ms since the epoch) at which this secret no longer signs.
    public var validUntilMs: Int64

    /// A retiring `secret` that signs until `validUntilMs`.
    public init(secret: String, validUntilMs: Int64) {
        self.secret = secret
        self.validUntilMs = validUntilMs
    }
}
