import Foundation
import HooklogTestSupport
import NIOHTTP1
import Testing

/// A tenant's per-call `webhook_url` deliveries look like its platform's: the fifth seed signs
/// them "with the organization's default signing secret", in the same envelope as its endpoints'.
@Suite("Inline webhook_url deliveries under the tenant's profile", .timeLimit(.minutes(1)))
struct InlineProfileTests {
    @Test func aTenantsInlineDeliveriesGoOutUnderItsProfileSignedWithItsSecret() async throws {
        try await withAPIHarness { hooklog in
            for profile in ["callingbox", "standard"] {
                let created = try await hooklog.request(
                    .POST, "/v1/tenants", key: APIHarness.adminKey, body: #"{"name":"Inline \#(profile)","inline_profile":"\#(profile)"}"#
                )
                #expect(created.status == 201)
                #expect(created.json["inline_profile"] as? String == profile)
                let key = try #require(created.json["api_key"] as? String)
                let secret = try #require(created.json["inline_signing_secret"] as? String)
                let path = "/inline/\(profile)"
                let posted = try await hooklog.postEvent(key: key, extra: #","webhook_url":"\#(hooklog.receiver.baseURL)\#(path)""#)
                #expect(posted.status == 202)
                let request = try #require(try await hooklog.receiver.waitForRequests(1, on: path).first)
                let nowSeconds = Int64(Date().timeIntervalSince1970)
                if profile == "callingbox" {
                    #expect(CallingBoxVerifier.verify(secret: secret, headers: request.headers, body: request.body, nowSeconds: nowSeconds))
                    let envelope = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
                    #expect(envelope["api_version"] != nil && envelope["type"] as? String == "call.completed")
                } else {
                    #expect(StandardWebhooksVerifier.verify(secret: secret, headers: request.headers, body: request.body, nowSeconds: nowSeconds))
                }
            }
        }
    }

    @Test func aTenantWithoutOneGetsStandardAndProfilesInlineDeliveriesCannotUseAreRefused() async throws {
        try await withAPIHarness { hooklog in
            let plain = try await hooklog.request(.POST, "/v1/tenants", key: APIHarness.adminKey, body: #"{"name":"Plain"}"#)
            #expect(plain.json["inline_profile"] as? String == "standard")
            #expect((plain.json["inline_signing_secret"] as? String)?.hasPrefix("whsec_") == true)
            // Unknown; a mid-call profile; one that needs an endpoint's bearer token.
            for profile in ["nope", "callina-midcall", "calleague"] {
                let refused = try await hooklog.request(
                    .POST, "/v1/tenants", key: APIHarness.adminKey, body: #"{"name":"Refused","inline_profile":"\#(profile)"}"#
                )
                #expect(refused.status == 422, "\(profile)")
                #expect(refused.errorCode == "invalid_field", "\(profile)")
            }
        }
    }
    /// Whether a profile is for mid-call is its file's `midCall`, not something in its name.
    @Test func aMidCallProfileIsKnownByItsFileNotItsName() async throws {
        let config = NSTemporaryDirectory() + "hooklog-config-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: config) }
        try FileManager.default.copyItem(atPath: APIHarness.configFolder, toPath: config)
        for (file, name) in [("callina-midcall", "anna-live"), ("standard", "standard-midcall-named")] {
            let text = try String(contentsOfFile: "\(config)/profiles/\(file).json", encoding: .utf8)
            try text.replacingOccurrences(of: #""name": "\#(file)""#, with: #""name": "\#(name)""#)
                .write(toFile: "\(config)/profiles/\(name).json", atomically: true, encoding: .utf8)
        }
        let hooklog = try await APIHarness.start(configFolder: config)
        do {
            let midCall = try await hooklog.request(.POST, "/v1/tenants", key: APIHarness.adminKey, body: #"{"name":"A","inline_profile":"anna-live"}"#)
            #expect(midCall.status == 422 && midCall.errorCode == "invalid_field", "\(midCall.json)")
            let named = try await hooklog.request(.POST, "/v1/tenants", key: APIHarness.adminKey, body: #"{"name":"B","inline_profile":"standard-midcall-named"}"#)
            #expect(named.status == 201 && named.json["inline_profile"] as? String == "standard-midcall-named", "\(named.json)")
        } catch {
            await hooklog.stop()
            throw error
        }
        await hooklog.stop()
    }
    /// A lost or leaked inline signing secret is replaced by the admin, shown once: inline
    /// deliveries carry the new secret's signature, and the old one's beside it for the grace
    /// period; a tenant key cannot do it, and the rotation is in the log with its secret redacted.
    @Test func theAdminRotatesATenantsInlineSigningSecretAndTheOldOneSignsBesideItForAWhile() async throws {
        try await withAPIHarness { hooklog in
            let created = try await hooklog.request(.POST, "/v1/tenants", key: APIHarness.adminKey, body: #"{"name":"Inline"}"#)
            let tenantId = try #require(created.json["id"] as? String)
            let key = try #require(created.json["api_key"] as? String)
            let oldSecret = try #require(created.json["inline_signing_secret"] as? String)
            let path = "/v1/tenants/\(tenantId)/rotate_inline_signing_secret"

            #expect(try await hooklog.request(.POST, path, key: key).status == 403, "a tenant key cannot rotate it")
            let unknown = "ten_" + String(repeating: "0", count: 26)
            #expect(try await hooklog.request(.POST, "/v1/tenants/\(unknown)/rotate_inline_signing_secret", key: APIHarness.adminKey).status == 404)

            let rotated = try await hooklog.request(.POST, path, key: APIHarness.adminKey)
            #expect(rotated.status == 200 && rotated.headers["cache-control"] == "no-store", "\(rotated.json)")
            let newSecret = try #require(rotated.json["inline_signing_secret"] as? String)
            #expect(newSecret.hasPrefix("whsec_") && newSecret != oldSecret)
            #expect(rotated.json["id"] as? String == tenantId && rotated.json["inline_profile"] as? String == "standard")
            #expect(rotated.json["previous_secret_expires_at"] is String && rotated.json["rotated_at"] is String, "\(rotated.json)")

            let posted = try await hooklog.postEvent(key: key, extra: #","webhook_url":"\#(hooklog.receiver.baseURL)/inline""#)
            #expect(posted.status == 202)
            let request = try #require(try await hooklog.receiver.waitForRequests(1, on: "/inline").first)
            let nowSeconds = Int64(Date().timeIntervalSince1970)
            #expect(StandardWebhooksVerifier.verify(secret: newSecret, headers: request.headers, body: request.body, nowSeconds: nowSeconds))
            #expect(StandardWebhooksVerifier.verify(secret: oldSecret, headers: request.headers, body: request.body, nowSeconds: nowSeconds), "the old secret signs beside it")

            let exported = try await hooklog.request(.GET, "/v1/export?format=jsonl", key: APIHarness.adminKey)
            let text = exported.text
            #expect(text.contains("\"tenant_inline_secret_rotated\"") && !text.contains(newSecret) && !text.contains(String(newSecret.dropFirst(6))))
        }
    }
}
