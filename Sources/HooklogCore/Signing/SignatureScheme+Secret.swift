extension SignatureScheme {
    /// How many caller-supplied random bytes a new secret takes.
    public var secretRandomByteRange: ClosedRange<Int> {
        switch self {
        case .standardWebhooks: 24...64
        case .callingBox, .callinaHexBody, .callinaMidcall, .bearerToken, .none: 16...64
        }
    }

    /// A new secret made from `randomBytes` (which the caller draws from a secure source).
    ///
    /// Standard Webhooks: `whsec_` followed by the base64 of the bytes (the bytes are the HMAC key).
    /// Every other scheme: the bytes in lower-case hex, a plain token whose UTF-8 is the HMAC key.
    public func makeSecret(randomBytes: [UInt8]) throws -> String {
        let range = self.secretRandomByteRange
        guard range.contains(randomBytes.count) else {
            throw SigningError.unsuitableRandomBytes(count: randomBytes.count, expected: range)
        }
        switch self {
        case .standardWebhooks: return Self.standardSecretPrefix + Base64.encode(randomBytes)
        case .callingBox, .callinaHexBody, .callinaMidcall, .bearerToken, .none: return Hex.encode(randomBytes)
        }
    }
}
