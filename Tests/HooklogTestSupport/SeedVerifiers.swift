import Foundation
public import HooklogCore

// Receivers' verification code, each written from its platform's own document and nothing else:
// the Standard Webhooks specification, and the seeds' pages for CallingBox, Callina, Calleague and Callaro.
// They use Foundation's base64 and the RFC 2104 reference HMAC, never the signer under test.

/// The lower-cased header map a receiver sees.
public typealias ReceivedHeaders = [String: String]

/// Standard Webhooks, "Verifying webhooks": signed content `{id}.{timestamp}.{body}`, key = base64 after `whsec_`,
/// `webhook-signature` a space-delimited list of `v1,<base64>`; the timestamp must be within a tolerance.
public enum StandardWebhooksVerifier {
    public static let toleranceSeconds: Int64 = 5 * 60

    public static func verify(secret: String, headers: ReceivedHeaders, body: [UInt8], nowSeconds: Int64) -> Bool {
        guard let id = headers["webhook-id"], let timestampText = headers["webhook-timestamp"],
            let signatureHeader = headers["webhook-signature"], let timestamp = Int64(timestampText)
        else { return false }
        guard abs(nowSeconds - timestamp) <= Self.toleranceSeconds else { return false }
        let encodedKey = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
        guard let key = Data(base64Encoded: encodedKey) else { return false }
        let signedContent = Array("\(id).\(timestamp).".utf8) + body
        let expected = Data(ReferenceHMAC.sha256(key: Array(key), message: signedContent)).base64EncodedString()
        for versionedSignature in signatureHeader.split(separator: " ") {
            let parts = versionedSignature.split(separator: ",", maxSplits: 1)
            guard parts.count == 2, parts[0] == "v1" else { continue }
            if ReferenceHMAC.timingSafeEqual(Array(parts[1].utf8), Array(expected.utf8)) { return true }
        }
        return false
    }
}

/// CallingBox: `CallingBox-Signature: t=<unix_ts>,v1=<hex_hmac>` over `"{t}.{raw body}"` with the signing secret
/// (Stripe's scheme: any `v1` may match; the timestamp must be recent).
public enum CallingBoxVerifier {
    public static let toleranceSeconds: Int64 = 5 * 60

    public static func verify(secret: String, headers: ReceivedHeaders, body: [UInt8], nowSeconds: Int64) -> Bool {
        guard let header = headers["callingbox-signature"] else { return false }
        var timestamp: Int64?
        var signatures: [String] = []
        for item in header.split(separator: ",") {
            let pair = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int64(pair[1]) }
            if pair[0] == "v1" { signatures.append(pair[1]) }
        }
        guard let timestamp, abs(nowSeconds - timestamp) <= Self.toleranceSeconds else { return false }
        let signedPayload = Array("\(timestamp).".utf8) + body
        let expected = ReferenceHMAC.hex(ReferenceHMAC.sha256(key: Array(secret.utf8), message: signedPayload))
        return signatures.contains { ReferenceHMAC.timingSafeEqual(Array($0.utf8), Array(expected.utf8)) }
    }
}

/// Callina's Node example, line by line: `createHmac("sha256", secret).update(rawBody).digest("hex")`,
/// then `timingSafeEqual(Buffer.from(expected, "hex"), Buffer.from(signature, "hex"))`.
public enum CallinaVerifier {
    public static func verify(rawBody: [UInt8], signature: String, secret: String) -> Bool {
        let expected = ReferenceHMAC.hex(ReferenceHMAC.sha256(key: Array(secret.utf8), message: rawBody))
        guard let expectedBytes = Self.bufferFromHex(expected), let signatureBytes = Self.bufferFromHex(signature) else {
            return false
        }
        return ReferenceHMAC.timingSafeEqual(expectedBytes, signatureBytes)
    }

    public static func verify(secret: String, headers: ReceivedHeaders, body: [UInt8]) -> Bool {
        guard let signature = headers["x-callina-signature"] else { return false }
        return Self.verify(rawBody: body, signature: signature, secret: secret)
    }

    private static func bufferFromHex(_ text: String) -> [UInt8]? {
        let characters = Array(text)
        guard characters.count % 2 == 0 else { return nil }
        return stride(from: 0, to: characters.count, by: 2).compactMap { UInt8(String(characters[$0...$0 + 1]), radix: 16) }
    }
}

/// Callina mid-call: `X-Callina-Signature: v1,t=<unix>,sig=<hex>`, the hex HMAC of `"{t}.{body}"`.
public enum CallinaMidcallVerifier {
    public static let toleranceSeconds: Int64 = 5 * 60

    public static func verify(secret: String, headers: ReceivedHeaders, body: [UInt8], nowSeconds: Int64) -> Bool {
        guard let header = headers["x-callina-signature"] else { return false }
        let items = header.split(separator: ",").map(String.init)
        guard items.count == 3, items[0] == "v1", items[1].hasPrefix("t="), items[2].hasPrefix("sig="),
            let timestamp = Int64(items[1].dropFirst(2))
        else { return false }
        guard abs(nowSeconds - timestamp) <= Self.toleranceSeconds else { return false }
        let expected = ReferenceHMAC.hex(ReferenceHMAC.sha256(key: Array(secret.utf8), message: Array("\(timestamp).".utf8) + body))
        return ReferenceHMAC.timingSafeEqual(Array(items[2].dropFirst(4).utf8), Array(expected.utf8))
    }
}

/// Calleague: "Confirm the incoming `Authorization: Bearer` token matches your key".
public enum CalleagueVerifier {
    public static func verify(key: String, headers: ReceivedHeaders) -> Bool {
        guard let authorization = headers["authorization"] else { return false }
        return ReferenceHMAC.timingSafeEqual(Array(authorization.utf8), Array("Bearer \(key)".utf8))
    }
}

/// Callaro: no signature header is guaranteed; the receiver deduplicates on `call_id`.
public enum CallaroVerifier {
    /// The dedupe key (`call_id` and the event name) of a delivery, or `nil` when the body lacks it.
    public static func dedupeKey(body: [UInt8]) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let callId = object["call_id"] as? String, let event = object["event"] as? String
        else { return nil }
        return "\(callId)|\(event)"
    }
}
