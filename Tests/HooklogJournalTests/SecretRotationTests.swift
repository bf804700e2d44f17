import HooklogCore
import HooklogJournal
import Testing

/// A secret is made for the signature scheme of the endpoint's profile before the journal is
/// asked to give it: a change of profile that lands in between must not leave the endpoint
/// with a secret of another scheme than its profile signs with.
@Suite("Rotating an endpoint's secret")
struct SecretRotationTests {
    @Test func aSecretMadeForAProfileTheEndpointHasLeftIsNotGiven() async throws {
        try await withTemporaryFolder { path in
            let store = try HooklogStore(path: path, initialMapSizeBytes: 1 << 20, logger: quietLogger)
            let tenantId = try await store.createTenant(name: "t", apiKeyHash: SHA256Hasher.digest([1]), defaultSigningSecret: "whsec_AAAA", nowMs: 1_000)
            let endpointId = try await store.createEndpoint(tenantId: tenantId, EndpointDraft(url: "https://hooks.example/in", signingSecret: "whsec_BBBB"), nowMs: 1_000).endpointId
            _ = try await store.updateEndpoint(endpointId, tenantId: tenantId, EndpointChange(profile: "callina"), nowMs: 1_100)
            let head = try store.journal.reader.head().sequence

            let stale = try await store.rotateEndpointSecret(endpointId, tenantId: tenantId, newSecret: "whsec_CCCC", madeFor: "standard", gracePeriodMs: 60_000, nowMs: 1_200)
            #expect(stale == .profileChanged)
            #expect(try store.journal.reader.head().sequence == head, "nothing journaled")
            #expect(try store.endpoint(endpointId, tenantId: tenantId)?.signingSecret == "whsec_BBBB")

            guard case .rotated(let rotated) = try await store.rotateEndpointSecret(
                endpointId, tenantId: tenantId, newSecret: "whsec_DDDD", madeFor: "callina", gracePeriodMs: 60_000, nowMs: 1_300
            ) else {
                Issue.record("a secret made for the endpoint's own profile is given")
                return
            }
            #expect(rotated.signingSecret == "whsec_DDDD")
            let other = try await store.rotateEndpointSecret(EndpointID.parse("ep_01jv8m2k3q4r5s6t7v8w9x0y1z")!, tenantId: tenantId, newSecret: "whsec_EEEE", madeFor: "callina", gracePeriodMs: 1, nowMs: 1_400)
            #expect(other == .notFound)
            await store.close()
        }
    }
}
