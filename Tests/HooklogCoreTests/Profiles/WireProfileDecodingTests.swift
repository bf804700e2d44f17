import Foundation
import HooklogCore
import Testing

@Suite("Decoding wire profile files")
struct WireProfileDecodingTests {
    private func decode(_ json: String) throws -> WireProfile {
        try WireProfile.decode(from: Array(json.utf8))
    }

    @Test func omittedSettingsTakeTheirDefaults() throws {
        let profile = try self.decode(#"{"name":"p","signatureScheme":"none","envelope":[{"name":"data","source":"data"}]}"#)
        #expect(profile.contentType == "application/json")
        #expect(profile.retries4xx)
        #expect(profile.headers.isEmpty)
    }

    @Test(arguments: [
        #"{"name":"p","signatureScheme":"rot13","envelope":[]}"#,
        #"{"name":"p","signatureScheme":"none","envelope":[{"name":"x","source":"elsewhere"}]}"#,
        #"{"name":"p","signatureScheme":"none","envelope":[{"name":"x","source":"constant"}]}"#,
        #"{"name":"p","signatureScheme":"none","envelope":[{"name":"x","source":"dataMember"}]}"#,
        #"{"name":"p","signatureScheme":"none","envelope":[{"name":"x","source":"object"}]}"#,
        #"{"name":"p","signatureScheme":"none","envelope":[{"source":"eventId"}]}"#,
        #"{"name":"p","signatureScheme":"none","envelope":[{"name":"x","source":"dataMembers"}]}"#,
        #"{"name":"p","signatureScheme":"none","envelope":[{"name":"x","source":"eventId"},{"name":"x","source":"eventType"}]}"#,
        #"{"name":"p","signatureScheme":"none","envelope":[{"name":"x","source":"eventId","timeFormat":"rfc3339"}]}"#,
        #"{"name":"p","signatureScheme":"none","envelope":[{"name":"o","source":"object","fields":[{"name":"c","source":"constant"}]}]}"#,
        #"{"name":"p","signatureScheme":"standardWebhooks","envelope":[],"headers":[{"name":"webhook-id","source":"eventId"}]}"#,
        #"{"name":"p","signatureScheme":"none","envelope":[],"headers":[{"name":"Bad Name","source":"eventId"}]}"#,
        #"{"name":"p","signatureScheme":"none","envelope":[],"headers":[{"name":"X-A","source":"constant"}]}"#,
        #"{"name":"p","signatureScheme":"none","envelope":[],"headers":[{"name":"X-A","source":"eventId","dataPath":["call","id"]}]}"#,
        #"{"name":"p","signatureScheme":"none","envelope":[],"headers":[{"name":"X-A","source":"callId","dataPath":[]}]}"#,
        #"{"name":"","signatureScheme":"none","envelope":[]}"#,
        // Values no header can carry, which would fail every delivery at its send.
        #"{"name":"p","signatureScheme":"none","envelope":[],"headers":[{"name":"X-A","source":"constant","constant":"a\nb"}]}"#,
        #"{"name":"p","signatureScheme":"none","envelope":[],"headers":[{"name":"X-A","source":"constant","constant":"a\u0000"}]}"#,
        #"{"name":"p","signatureScheme":"none","envelope":[],"contentType":"application/json\r\nX-B: 1"}"#,
        #"{"name":"p","signatureScheme":"none","envelope":[],"contentType":""}"#,
        // Keys this build does not know, which would otherwise be left out without a word.
        #"{"name":"p","signatureScheme":"none","envelope":[],"midcall":true}"#,
        #"{"name":"p","signatureScheme":"none","envelope":[{"name":"x","source":"eventId","omitWhenMissing":true}]}"#,
        #"{"name":"p","signatureScheme":"none","envelope":[],"headers":[{"name":"X-A","source":"eventId","datapath":["a"]}]}"#,
        "not json",
    ])
    func aMalformedProfileIsRefusedWithAProfileError(json: String) {
        #expect(throws: ProfileError.self) { try self.decode(json) }
    }

    @Test func anUnknownKeyIsNamedWithTheKeyItMayHaveMeant() {
        let error = #expect(throws: ProfileError.self) { try self.decode(#"{"name":"p","signatureScheme":"none","envelope":[],"midcall":true}"#) }
        #expect(error?.description == #"invalid wire profile: the profile has the unknown key "midcall" (did you mean midCall?)"#, "\(String(describing: error))")
    }

    @Test func aProfileRoundTripsThroughItsCodableForm() throws {
        let profile = try ProfileFixtures.profile("callina-midcall")
        let encoded = Array(try JSONEncoder().encode(profile))
        #expect(try WireProfile.decode(from: encoded) == profile)
    }
}
