import HooklogCore
import HooklogTestSupport
import Testing

/// The Standard Webhooks specification's own example (github.com/standard-webhooks/standard-webhooks, spec
/// "Signature scheme" and the reference libraries' tests).
enum StandardWebhooksSpecVector {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let messageId = "msg_p5jXN8AQM9LWM0D4loKWxJek"
    static let timestampSeconds: Int64 = 1_614_265_330
    static let payload = #"{"test": 2432232314}"#
    static let signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
}

@Suite("Standard Webhooks")
struct StandardWebhooksTests {
    typealias Vector = StandardWebhooksSpecVector

    @Test func theTestsOwnVerifierAcceptsTheSpecificationsVector() {
        let headers = [
            "webhook-id": Vector.messageId,
            "webhook-timestamp": String(Vector.timestampSeconds),
            "webhook-signature": Vector.signature,
        ]
        #expect(
            StandardWebhooksVerifier.verify(
                secret: Vector.secret, headers: headers, body: Array(Vector.payload.utf8), nowSeconds: Vector.timestampSeconds))
    }

    @Test func theTestsOwnVerifierRejectsTheVectorWithAnyChange() {
        let headers = [
            "webhook-id": Vector.messageId,
            "webhook-timestamp": String(Vector.timestampSeconds),
            "webhook-signature": Vector.signature,
        ]
        let body = Array(Vector.payload.utf8)
        var otherId = headers
        otherId["webhook-id"] = "msg_other"
        #expect(!StandardWebhooksVerifier.verify(secret: Vector.secret, headers: otherId, body: body, nowSeconds: Vector.timestampSeconds))
        #expect(
            !StandardWebhooksVerifier.verify(
                secret: Vector.secret, headers: headers, body: Array(#"{"test": 2432232315}"#.utf8), nowSeconds: Vector.timestampSeconds))
        #expect(
            !StandardWebhooksVerifier.verify(secret: Vector.secret, headers: headers, body: body, nowSeconds: Vector.timestampSeconds + 301)
        )
    }

    @Test func theSignerReproducesTheSpecificationsVector() throws {
        let headers = try SignatureScheme.standardWebhooks.authenticationHeaders(
            secrets: SigningSecrets(current: Vector.secret),
            messageId: Vector.messageId,
            sentAtMs: Vector.timestampSeconds * 1_000,
            body: Array(Vector.payload.utf8),
            bearerToken: nil
        )
        #expect(
            headers == [
                WireHeader(name: "webhook-id", value: Vector.messageId),
                WireHeader(name: "webhook-timestamp", value: "1614265330"),
                WireHeader(name: "webhook-signature", value: Vector.signature),
            ])
    }

    @Test func aSecretWithoutThePrefixSignsTheSame() throws {
        let bare = String(Vector.secret.dropFirst("whsec_".count))
        let headers = try SignatureScheme.standardWebhooks.authenticationHeaders(
            secrets: SigningSecrets(current: bare), messageId: Vector.messageId, sentAtMs: Vector.timestampSeconds * 1_000,
            body: Array(Vector.payload.utf8), bearerToken: nil
        )
        #expect(headers.last?.value == Vector.signature)
    }

    @Test func duringRotationBothSignaturesAreSentSpaceSeparatedNewestFirst() throws {
        let newSecret = "whsec_" + Base64.encode(Array(repeating: 7, count: 32))
        let secrets = SigningSecrets(current: Vector.secret).rotated(to: newSecret, nowMs: UInt64(Vector.timestampSeconds) * 1000 - 1000)
        let headers = try SignatureScheme.standardWebhooks.authenticationHeaders(
            secrets: secrets, messageId: Vector.messageId, sentAtMs: Vector.timestampSeconds * 1_000,
            body: Array(Vector.payload.utf8), bearerToken: nil
        )
        let signatures = try #require(headers.last?.value).split(separator: " ").map(String.init)
        #expect(signatures.count == 2)
        #expect(signatures[1] == Vector.signature)
        let received = Dictionary(uniqueKeysWithValues: headers.map { ($0.name, $0.value) })
        for secret in [Vector.secret, newSecret] {
            #expect(
                StandardWebhooksVerifier.verify(
                    secret: secret, headers: received, body: Array(Vector.payload.utf8), nowSeconds: Vector.timestampSeconds))
        }
    }

    @Test(arguments: ["whsec_not base64!", "whsec_", ""])
    func aSecretThatIsNotBase64IsRefused(secret: String) {
        #expect(throws: SigningError.self) {
            try SignatureScheme.standardWebhooks.authenticationHeaders(
                secrets: SigningSecrets(current: secret), messageId: "m", sentAtMs: 1_000, body: [], bearerToken: nil
            )
        }
    }
}
