import HooklogCore
import HooklogTestSupport
import Testing

/// Each profile's request goes over a real loopback TCP connection to a receiver whose verification code
/// follows that profile's own document (see `SeedVerifiers.swift`).
@Suite("Deliveries verified by a real loopback receiver")
struct LoopbackDeliveryTests {
    static let sentAtSeconds: Int64 = 1_778_337_180

    /// The receiver's verdict for `profileName`, as its documentation tells it to decide: 204 or 401.
    static func judge(profileName: String, secret: String, token: String, _ request: ReceivedRequest) -> Int {
        let now = Self.sentAtSeconds + 2
        let verified =
            switch profileName {
            case "standard": StandardWebhooksVerifier.verify(secret: secret, headers: request.headers, body: request.body, nowSeconds: now)
            case "callingbox": CallingBoxVerifier.verify(secret: secret, headers: request.headers, body: request.body, nowSeconds: now)
            case "callina": CallinaVerifier.verify(secret: secret, headers: request.headers, body: request.body)
            case "callina-midcall", "callina-midcall-event":
                CallinaMidcallVerifier.verify(secret: secret, headers: request.headers, body: request.body, nowSeconds: now)
            case "calleague": CalleagueVerifier.verify(key: token, headers: request.headers)
            case "callaro": CallaroVerifier.dedupeKey(body: request.body) != nil
            default: false
            }
        return verified && request.method == "POST" && request.headers["content-type"] == "application/json" ? 204 : 401
    }

    private func request(_ profileName: String, secrets: SigningSecrets? = nil) throws -> RenderedRequest {
        let profile = try ProfileFixtures.profile(profileName)
        return try profile.render(
            ProfileFixtures.sampleEvent,
            secrets: secrets ?? SigningSecrets(current: ProfileFixtures.secret(for: profile.signatureScheme)),
            bearerToken: ProfileFixtures.bearerToken,
            sentAtMs: Self.sentAtSeconds * 1_000
        )
    }

    @Test(arguments: ["standard", "callingbox", "callina", "callina-midcall", "callina-midcall-event", "calleague", "callaro"])
    func theReceiverVerifiesTheDeliveryByItsOwnDocument(profileName: String) throws {
        let receiver = try LoopbackReceiver()
        let request = try self.request(profileName)
        let scheme = try ProfileFixtures.profile(profileName).signatureScheme
        let (status, received) = try receiver.post(request) {
            Self.judge(profileName: profileName, secret: ProfileFixtures.secret(for: scheme), token: ProfileFixtures.bearerToken, $0)
        }
        #expect(status == 204)
        #expect(received.body == request.body)
    }

    @Test(arguments: ["standard", "callingbox", "callina", "callina-midcall", "callina-midcall-event"])
    func theReceiverRejectsATamperedBody(profileName: String) throws {
        let receiver = try LoopbackReceiver()
        var request = try self.request(profileName)
        request.body[request.body.count / 2] ^= 0x01
        let scheme = try ProfileFixtures.profile(profileName).signatureScheme
        let (status, _) = try receiver.post(request) {
            Self.judge(profileName: profileName, secret: ProfileFixtures.secret(for: scheme), token: ProfileFixtures.bearerToken, $0)
        }
        #expect(status == 401)
    }

    @Test(arguments: ["standard", "callingbox", "callina", "callina-midcall", "callina-midcall-event", "calleague"])
    func theReceiverRejectsTheWrongSecret(profileName: String) throws {
        let receiver = try LoopbackReceiver()
        let request = try self.request(profileName)
        let (status, _) = try receiver.post(request) {
            Self.judge(profileName: profileName, secret: "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", token: "someone-else", $0)
        }
        #expect(status == 401)
    }

    @Test func callaroReceiverSeesTheSameDedupeKeyOnARetry() throws {
        let receiver = try LoopbackReceiver()
        let profile = try ProfileFixtures.profile("callaro")
        var keys: [String?] = []
        for sentAt in [Self.sentAtSeconds, Self.sentAtSeconds + 300] {
            let request = try profile.render(ProfileFixtures.sampleEvent, secrets: nil, bearerToken: nil, sentAtMs: sentAt * 1_000)
            _ = try receiver.post(request) { received in
                keys.append(CallaroVerifier.dedupeKey(body: received.body))
                return 204
            }
        }
        #expect(keys == ["call_x1y2z3|call.completed", "call_x1y2z3|call.completed"])
    }

    @Test(arguments: ["standard", "callingbox"])
    func duringRotationAReceiverWithEitherSecretAcceptsAndAfterTheGracePeriodOnlyTheNewOne(profileName: String) throws {
        let receiver = try LoopbackReceiver()
        let scheme = try ProfileFixtures.profile(profileName).signatureScheme
        let oldSecret = try scheme.makeSecret(randomBytes: Array(1...32))
        let newSecret = try scheme.makeSecret(randomBytes: Array(101...132))
        let rotatedAtMs = UInt64(Self.sentAtSeconds - 60) * 1000
        let secrets = SigningSecrets(current: oldSecret).rotated(to: newSecret, nowMs: rotatedAtMs, gracePeriodMs: 3_600_000)

        let duringGrace = try self.request(profileName, secrets: secrets)
        for secret in [oldSecret, newSecret] {
            let (status, _) = try receiver.post(duringGrace) { Self.judge(profileName: profileName, secret: secret, token: "", $0) }
            #expect(status == 204)
        }

        // Two hours later: only the new secret signs.
        let profile = try ProfileFixtures.profile(profileName)
        let laterSeconds = Self.sentAtSeconds + 7200
        let afterGrace = try profile.render(ProfileFixtures.sampleEvent, secrets: secrets, bearerToken: nil, sentAtMs: laterSeconds * 1_000)
        let now = laterSeconds + 1
        let verify: (String, ReceivedRequest) -> Bool = { secret, request in
            profileName == "standard"
                ? StandardWebhooksVerifier.verify(secret: secret, headers: request.headers, body: request.body, nowSeconds: now)
                : CallingBoxVerifier.verify(secret: secret, headers: request.headers, body: request.body, nowSeconds: now)
        }
        let (oldStatus, _) = try receiver.post(afterGrace) { verify(oldSecret, $0) ? 204 : 401 }
        let (newStatus, _) = try receiver.post(afterGrace) { verify(newSecret, $0) ? 204 : 401 }
        #expect(oldStatus == 401)
        #expect(newStatus == 204)
    }
}
