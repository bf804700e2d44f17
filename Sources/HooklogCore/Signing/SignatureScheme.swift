/// The closed set of ways a delivery proves where it came from.
///
/// Every scheme but `standardWebhooks` keys its HMAC with the secret string's UTF-8 bytes,
/// exactly as the user sees it; Standard Webhooks keys it with the bytes that the base64
/// after `whsec_` decodes to.
public enum SignatureScheme: String, Codable, Sendable, CaseIterable {
    /// Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>` (space-separated when several).
    case standardWebhooks
    /// Stripe-style: `CallingBox-Signature: t=<unix>,v1=<hex>[,v1=<hex>]` over `"{t}.{body}"`.
    case callingBox
    /// `X-Callina-Signature: <hex>` over the raw body, current secret only.
    case callinaHexBody
    /// Callina mid-call: `X-Callina-Signature: v1,t=<unix>,sig=<hex>` over `"{t}.{body}"`; no header without a secret.
    case callinaMidcall
    /// `Authorization: Bearer <endpoint token>`.
    case bearerToken
    /// No authentication header.
    case none

    /// The authentication headers for one request.
    ///
    /// - Parameters:
    ///   - secrets: The endpoint's secrets; the previous one signs too while `sentAtMs` is in its grace period
    ///     and the scheme carries several signatures.
    ///   - messageId: The event id, the same on every attempt (`webhook-id`).
    ///   - sentAtMs: The send time, in milliseconds since the epoch: a grace period ends at its
    ///     millisecond, and where the scheme signs a time, it signs the whole seconds.
    ///   - body: The exact body bytes that will be sent.
    ///   - bearerToken: The endpoint's token, for `bearerToken`.
    public func authenticationHeaders(
        secrets: SigningSecrets?,
        messageId: String,
        sentAtMs: Int64,
        body: [UInt8],
        bearerToken: String?
    ) throws -> [WireHeader] {
        let nowMs = UInt64(max(0, sentAtMs))
        let timestampSeconds = Self.seconds(milliseconds: sentAtMs)
        switch self {
        case .standardWebhooks:
            let keys = try self.requireSecrets(secrets).signing(atMs: nowMs).map(Self.standardWebhooksKey)
            let message = Array("\(messageId).\(timestampSeconds).".utf8) + body
            let signatures = keys.map { "v1," + Base64.encode(HMACSHA256.authenticationCode(key: $0, message: message)) }
            return [
                WireHeader(name: "webhook-id", value: messageId),
                WireHeader(name: "webhook-timestamp", value: String(timestampSeconds)),
                WireHeader(name: "webhook-signature", value: signatures.joined(separator: " ")),
            ]
        case .callingBox:
            let message = Array("\(timestampSeconds).".utf8) + body
            let signatures = try self.requireSecrets(secrets).signing(atMs: nowMs).map {
                "v1=" + Hex.encode(HMACSHA256.authenticationCode(key: Array($0.utf8), message: message))
            }
            return [WireHeader(name: "CallingBox-Signature", value: (["t=\(timestampSeconds)"] + signatures).joined(separator: ","))]
        case .callinaHexBody:
            let secret = try self.requireSecrets(secrets).current
            let signature = Hex.encode(HMACSHA256.authenticationCode(key: Array(secret.utf8), message: body))
            return [WireHeader(name: "X-Callina-Signature", value: signature)]
        case .callinaMidcall:
            guard let secret = secrets?.current, !secret.isEmpty else { return [] }
            let message = Array("\(timestampSeconds).".utf8) + body
            let signature = Hex.encode(HMACSHA256.authenticationCode(key: Array(secret.utf8), message: message))
            return [WireHeader(name: "X-Callina-Signature", value: "v1,t=\(timestampSeconds),sig=\(signature)")]
        case .bearerToken:
            guard let bearerToken, !bearerToken.isEmpty else { throw SigningError.missingBearerToken }
            return [WireHeader(name: "Authorization", value: "Bearer \(bearerToken)")]
        case .none:
            return []
        }
    }

    /// Whether a delivery carries the previous secret's signature beside the current one during a
    /// rotation's grace period: only where the header holds several. Elsewhere the new secret
    /// signs alone, at once.
    public var signsWithPreviousSecret: Bool {
        switch self {
        case .standardWebhooks, .callingBox: true
        case .callinaHexBody, .callinaMidcall, .bearerToken, .none: false
        }
    }

    /// The names of the headers the scheme may send.
    public var headerNames: [String] {
        switch self {
        case .standardWebhooks: ["webhook-id", "webhook-timestamp", "webhook-signature"]
        case .callingBox: ["CallingBox-Signature"]
        case .callinaHexBody, .callinaMidcall: ["X-Callina-Signature"]
        case .bearerToken: ["Authorization"]
        case .none: []
        }
    }

    private func requireSecrets(_ secrets: SigningSecrets?) throws -> SigningSecrets {
        guard let secrets, !secrets.current.isEmpty else { throw SigningError.missingSecret(self) }
        return secrets
    }

    /// The HMAC key of a Standard Webhooks secret: the bytes its base64 (after an optional `whsec_`) decodes to.
    static func standardWebhooksKey(_ secret: String) throws -> [UInt8] {
        let encoded = secret.hasPrefix(Self.standardSecretPrefix) ? String(secret.dropFirst(Self.standardSecretPrefix.count)) : secret
        guard let key = Base64.decode(encoded), !key.isEmpty else { throw SigningError.malformedSecret(.standardWebhooks) }
        return key
    }

    /// The whole seconds of `milliseconds` (before 1970 taken as 1970): the time a signature carries.
    static func seconds(milliseconds: Int64) -> Int64 {
        max(0, milliseconds) / 1_000
    }

    /// The prefix of a Standard Webhooks secret.
    static let standardSecretPrefix = "whsec_"
}
