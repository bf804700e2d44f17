import HooklogCore
import HooklogTestSupport
import Testing

@Suite("Signature schemes")
struct SignatureSchemeTests {
    static let secret = "cb_secret_5f2e"
    static let oldSecret = "cb_secret_old_91"
    static let body = Array(#"{"id":"evt_1","type":"call.completed"}"#.utf8)
    static let timestampSeconds: Int64 = 1_713_268_800

    private func headers(
        _ scheme: SignatureScheme,
        _ secrets: SigningSecrets? = SigningSecrets(current: secret),
        bearerToken: String? = nil,
        timestampSeconds: Int64 = timestampSeconds
    ) throws -> [String: String] {
        let headers = try scheme.authenticationHeaders(
            secrets: secrets, messageId: "evt_1", sentAtMs: timestampSeconds * 1_000, body: Self.body, bearerToken: bearerToken
        )
        return Dictionary(uniqueKeysWithValues: headers.map { ($0.name.lowercased(), $0.value) })
    }

    private var rotating: SigningSecrets {
        SigningSecrets(current: Self.oldSecret).rotated(
            to: Self.secret, nowMs: UInt64(Self.timestampSeconds) * 1000 - 60_000, gracePeriodMs: 3_600_000)
    }

    @Test func callingBoxSignsTimestampDotBodyInHexAsTheStripeStyleVerifierExpects() throws {
        let headers = try self.headers(.callingBox)
        let expected = ReferenceHMAC.hex(ReferenceHMAC.sha256(key: Array(Self.secret.utf8), message: Array("1713268800.".utf8) + Self.body))
        #expect(headers["callingbox-signature"] == "t=1713268800,v1=\(expected)")
        #expect(CallingBoxVerifier.verify(secret: Self.secret, headers: headers, body: Self.body, nowSeconds: Self.timestampSeconds))
    }

    @Test func callingBoxDuringRotationCarriesTwoV1SignaturesAndEitherSecretVerifies() throws {
        let headers = try self.headers(.callingBox, self.rotating)
        let items = try #require(headers["callingbox-signature"]).split(separator: ",")
        #expect(items.count == 3)
        #expect(items[0] == "t=1713268800")
        #expect(items.dropFirst().allSatisfy { $0.hasPrefix("v1=") })
        for secret in [Self.secret, Self.oldSecret] {
            #expect(CallingBoxVerifier.verify(secret: secret, headers: headers, body: Self.body, nowSeconds: Self.timestampSeconds))
        }
    }

    @Test func afterTheGracePeriodTheOldSecretNoLongerVerifies() throws {
        let later = Self.timestampSeconds + 3600
        let headers = try self.headers(.callingBox, self.rotating, timestampSeconds: later)
        #expect(try #require(headers["callingbox-signature"]).split(separator: ",").count == 2)
        #expect(CallingBoxVerifier.verify(secret: Self.secret, headers: headers, body: Self.body, nowSeconds: later))
        #expect(!CallingBoxVerifier.verify(secret: Self.oldSecret, headers: headers, body: Self.body, nowSeconds: later))
    }

    /// A grace period ends at its millisecond, not at the end of the second the signature
    /// carries: rotated with no grace (after a leak), the old secret never signs again, even
    /// within the same second.
    @Test func aGracePeriodEndsAtItsMillisecondNotAtTheEndOfItsSecond() throws {
        let rotatedAtMs = Self.timestampSeconds * 1_000 + 300
        func signatureCount(_ secrets: SigningSecrets, atMs sentAtMs: Int64) throws -> Int {
            let headers = try SignatureScheme.callingBox.authenticationHeaders(
                secrets: secrets, messageId: "evt_1", sentAtMs: sentAtMs, body: Self.body, bearerToken: nil
            )
            return try #require(headers.first?.value).split(separator: ",").count - 1
        }
        let graced = SigningSecrets(current: Self.oldSecret).rotated(to: Self.secret, nowMs: UInt64(rotatedAtMs), gracePeriodMs: 400)
        #expect(try signatureCount(graced, atMs: rotatedAtMs + 399) == 2)
        #expect(try signatureCount(graced, atMs: rotatedAtMs + 400) == 1, "the grace is over, within the second it began in")
        let leaked = SigningSecrets(current: Self.oldSecret).rotated(to: Self.secret, nowMs: UInt64(rotatedAtMs), gracePeriodMs: 0)
        #expect(try signatureCount(leaked, atMs: rotatedAtMs) == 1)
    }

    @Test func callinaSignsTheRawBodyInHexAsTheNodeExampleVerifies() throws {
        let headers = try self.headers(.callinaHexBody)
        let signature = try #require(headers["x-callina-signature"])
        #expect(signature.count == 64)
        #expect(CallinaVerifier.verify(rawBody: Self.body, signature: signature, secret: Self.secret))
        #expect(!CallinaVerifier.verify(rawBody: Self.body + [0x20], signature: signature, secret: Self.secret))
    }

    @Test func callinaSignsOnlyWithTheCurrentSecretDuringRotation() throws {
        let signature = try #require(try self.headers(.callinaHexBody, self.rotating)["x-callina-signature"])
        #expect(CallinaVerifier.verify(rawBody: Self.body, signature: signature, secret: Self.secret))
        #expect(!CallinaVerifier.verify(rawBody: Self.body, signature: signature, secret: Self.oldSecret))
    }

    @Test func callinaMidcallSignsTimestampDotBodyInTheV1Format() throws {
        let headers = try self.headers(.callinaMidcall)
        let expected = ReferenceHMAC.hex(ReferenceHMAC.sha256(key: Array(Self.secret.utf8), message: Array("1713268800.".utf8) + Self.body))
        #expect(headers["x-callina-signature"] == "v1,t=1713268800,sig=\(expected)")
        #expect(CallinaMidcallVerifier.verify(secret: Self.secret, headers: headers, body: Self.body, nowSeconds: Self.timestampSeconds))
    }

    @Test func callinaMidcallSendsNoSignatureWithoutASecret() throws {
        #expect(try self.headers(.callinaMidcall, nil).isEmpty)
    }

    @Test func calleagueSendsTheEndpointsBearerToken() throws {
        let headers = try self.headers(.bearerToken, nil, bearerToken: "cl_key_1")
        #expect(headers == ["authorization": "Bearer cl_key_1"])
        #expect(CalleagueVerifier.verify(key: "cl_key_1", headers: headers))
    }

    @Test func bearerSchemeWithoutATokenIsAnError() {
        #expect(throws: SigningError.missingBearerToken) { try self.headers(.bearerToken, nil, bearerToken: nil) }
    }

    @Test func callaroSendsNoAuthenticationHeader() throws {
        #expect(try self.headers(.none, nil).isEmpty)
    }

    @Test(arguments: [SignatureScheme.standardWebhooks, .callingBox, .callinaHexBody])
    func aSigningSchemeWithoutASecretIsAnError(scheme: SignatureScheme) {
        #expect(throws: SigningError.missingSecret(scheme)) { try self.headers(scheme, nil) }
    }

    @Test(arguments: SignatureScheme.allCases)
    func everySchemeSendsOnlyTheHeadersItDeclares(scheme: SignatureScheme) throws {
        let secret = scheme == .standardWebhooks ? StandardWebhooksSpecVector.secret : Self.secret
        let sent = try scheme.authenticationHeaders(
            secrets: SigningSecrets(current: secret), messageId: "evt_1", sentAtMs: 1_000, body: Self.body, bearerToken: "t"
        )
        #expect(Set(sent.map(\.name)).isSubset(of: Set(scheme.headerNames)))
    }

    @Test func rotatedSecretsSignWithTheOldOneOnlyUntilTheGracePeriodEnds() {
        let secrets = SigningSecrets(current: "a").rotated(to: "b", nowMs: 1000, gracePeriodMs: 500)
        #expect(secrets.signing(atMs: 1000) == ["b", "a"])
        #expect(secrets.signing(atMs: 1499) == ["b", "a"])
        #expect(secrets.signing(atMs: 1500) == ["b"])
    }

    @Test func aStandardSecretIsWhsecAndTheBase64OfTheRandomBytes() throws {
        let bytes = Array(UInt8(0)..<UInt8(24))
        let secret = try SignatureScheme.standardWebhooks.makeSecret(randomBytes: bytes)
        #expect(secret.hasPrefix("whsec_"))
        #expect(Base64.decode(String(secret.dropFirst(6))) == bytes)
    }

    @Test func otherSecretsArePlainHexTokens() throws {
        let secret = try SignatureScheme.callingBox.makeSecret(randomBytes: Array(repeating: 0xAB, count: 32))
        #expect(secret == String(repeating: "ab", count: 32))
    }

    @Test(arguments: [0, 8, 23, 65])
    func aStandardSecretNeedsTwentyFourToSixtyFourBytes(count: Int) {
        #expect(throws: SigningError.self) {
            try SignatureScheme.standardWebhooks.makeSecret(randomBytes: Array(repeating: 1, count: count))
        }
    }
}
