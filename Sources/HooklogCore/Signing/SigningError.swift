/// Why a request could not be signed.
public struct SigningError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Internal: Hashable, Sendable {
        case missingSecret(SignatureScheme)
        case malformedSecret(SignatureScheme)
        case missingBearerToken
        case unsuitableRandomBytes(count: Int, expected: ClosedRange<Int>)
    }

    private let value: Internal

    private init(_ value: Internal) {
        self.value = value
    }

    /// The scheme signs with a secret, and none was given.
    public static func missingSecret(_ scheme: SignatureScheme) -> Self { Self(.missingSecret(scheme)) }
    /// The secret cannot be used by the scheme (for Standard Webhooks: not base64 after `whsec_`).
    public static func malformedSecret(_ scheme: SignatureScheme) -> Self { Self(.malformedSecret(scheme)) }
    /// The scheme sends a bearer token, and the endpoint has none.
    public static var missingBearerToken: Self { Self(.missingBearerToken) }
    /// A new secret was asked for with too few or too many random bytes.
    public static func unsuitableRandomBytes(count: Int, expected: ClosedRange<Int>) -> Self {
        Self(.unsuitableRandomBytes(count: count, expected: expected))
    }

    /// A sentence for logs and error responses (never a secret).
    public var description: String {
        switch self.value {
        case .missingSecret(let scheme):
            "the \(scheme.rawValue) signature scheme needs a signing secret"
        case .malformedSecret(let scheme):
            "the signing secret is not valid for the \(scheme.rawValue) scheme"
        case .missingBearerToken:
            "the endpoint has no bearer token to send"
        case .unsuitableRandomBytes(let count, let expected):
            "a new secret needs \(expected.lowerBound)–\(expected.upperBound) random bytes, got \(count)"
        }
    }
}
