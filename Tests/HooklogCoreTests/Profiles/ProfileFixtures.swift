import Foundation
import HooklogCore

/// The repository's `Config/` folder and the profiles and seed examples the profile tests share.
enum ProfileFixtures {
    /// `<repo>/Config`, found from this file's path (`<repo>/Tests/HooklogCoreTests/Profiles/…`).
    static let configDirectory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Profiles
        .deletingLastPathComponent()  // HooklogCoreTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repo
        .appendingPathComponent("Config")

    static let profilesDirectory = configDirectory.appendingPathComponent("profiles")

    /// The names of every profile file, without `.json`, sorted.
    static func profileNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: profilesDirectory.path)
            .filter { $0.hasSuffix(".json") }
            .map { String($0.dropLast(5)) }
            .sorted()
    }

    /// The profile in `Config/profiles/<name>.json`.
    static func profile(_ name: String) throws -> WireProfile {
        let bytes = try Data(contentsOf: profilesDirectory.appendingPathComponent("\(name).json"))
        return try WireProfile.decode(from: Array(bytes))
    }

    /// JSON text without the whitespace between tokens (whitespace inside strings kept), for comparing shapes exactly.
    static func minified(_ json: String) -> String {
        var output = ""
        var inString = false
        var escaped = false
        for character in json {
            if inString {
                output.append(character)
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    inString = false
                }
            } else if character == "\"" {
                inString = true
                output.append(character)
            } else if !character.isWhitespace {
                output.append(character)
            }
        }
        return output
    }

    /// An event with everything a profile may use, for smoke-rendering every profile file.
    static let sampleEvent = OutgoingEvent(
        eventId: "evt_2Zq7",
        deliveryId: "dlv_9Kp1",
        type: "call.completed",
        occurredAtMs: 1_778_337_175_000,
        receivedAtMs: 1_778_337_175_250,
        callId: "call_x1y2z3",
        data: Array(#"{"from":"+43660123456789","duration_seconds":174}"#.utf8),
        metadata: Array(#"{"orderId":"A-1042","fromNumber":"+43660123456789","toNumber":"+43662275123"}"#.utf8)
    )

    /// Secrets and token for rendering any profile.
    static let standardSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let plainSecret = "3f1e9a7c5b2d4e6f8a0b1c2d3e4f5a6b"
    static let bearerToken = "cl_live_token_7Yh2"

    static func secret(for scheme: SignatureScheme) -> String {
        scheme == .standardWebhooks ? standardSecret : plainSecret
    }
}
