import Foundation
import HooklogCore
import Testing

@Suite("Rendering events with wire profiles")
struct WireProfileRenderingTests {
    private func render(_ profileName: String, _ event: OutgoingEvent, timestampSeconds: Int64 = 1_778_337_180) throws -> RenderedRequest {
        let profile = try ProfileFixtures.profile(profileName)
        return try profile.render(
            event,
            secrets: SigningSecrets(current: ProfileFixtures.secret(for: profile.signatureScheme)),
            bearerToken: ProfileFixtures.bearerToken,
            sentAtMs: timestampSeconds * 1_000
        )
    }

    private func event(type: String = "call.completed", callId: String? = "call_1", data: String, metadata: String? = nil) -> OutgoingEvent
    {
        OutgoingEvent(
            eventId: "evt_1", deliveryId: "dlv_1", type: type, occurredAtMs: 1_778_337_175_000, receivedAtMs: 1_778_337_175_000,
            callId: callId, data: Array(data.utf8), metadata: metadata.map { Array($0.utf8) }
        )
    }

    @Test(arguments: ["standard", "callingbox", "callina", "calleague", "callaro", "callina-midcall"])
    func aRetryCarriesTheSameEventIdAndBody(profileName: String) throws {
        let first = try self.render(profileName, ProfileFixtures.sampleEvent, timestampSeconds: 1_778_337_180)
        let retry = try self.render(profileName, ProfileFixtures.sampleEvent, timestampSeconds: 1_778_337_180 + 300)
        for name in ["webhook-id", "CallingBox-Event-Id", "X-Callina-Event-Id", "X-Callaro-Event-Id"] {
            #expect(first.header(name) == retry.header(name))
        }
        let idHeaders = first.headers.filter { $0.value == ProfileFixtures.sampleEvent.eventId }
        #expect(!idHeaders.isEmpty || profileName == "calleague")
        if profileName == "callina-midcall" {
            #expect(first.body != retry.body)  // `$now` is the send time
        } else {
            #expect(first.body == retry.body)
        }
    }

    @Test func calleaguesDeliveryIdIsTheEventId() throws {
        let body = try self.render("calleague", ProfileFixtures.sampleEvent).body
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        #expect(object["deliveryId"] as? String == ProfileFixtures.sampleEvent.eventId)
    }

    @Test func callingBoxHeadersNameTheEventAndTheCall() throws {
        let request = try self.render("callingbox", ProfileFixtures.sampleEvent)
        #expect(
            request.headers.map(\.name) == [
                "Content-Type", "CallingBox-Event-Id", "CallingBox-Event-Type", "X-CallingBox-Event", "X-CallingBox-Call-Id",
                "CallingBox-Signature",
            ])
        #expect(request.header("CallingBox-Event-Type") == "call.completed")
        #expect(request.header("X-CallingBox-Event") == "call.completed")
        #expect(request.header("X-CallingBox-Call-Id") == "call_x1y2z3")
    }

    /// The seed: "X-CallingBox-Call-Id — convenience copy of data.call.id". The event's call id
    /// stands in when data has no such string, or one no header carries as a call id (or as the
    /// same text).
    @Test(arguments: [
        (#"{"call":{"id":"a1b2c3d4","status":"completed"}}"#, "call_1" as String?, "a1b2c3d4" as String?),
        (#"{"call":{"status":"completed"}}"#, "call_1", "call_1"),
        (#"{"call":{"id":42}}"#, "call_1", "call_1"),
        (#"{"call":{"id":"a\r\nX-Injected: 1"}}"#, "call_1", "call_1"),
        // Longer than a call id may be: a header that size gets the request refused (431).
        (#"{"call":{"id":"\#(String(repeating: "a", count: 257))"}}"#, "call_1", "call_1"),
        (#"{"call":{"id":"\#(String(repeating: "a", count: 256))"}}"#, "call_1", String(repeating: "a", count: 256)),
        (#"{"call":"a1b2c3d4"}"#, "call_1", "call_1"),
        // Other than ASCII a receiver would read as other text (Latin-1): the ASCII one, or none.
        (#"{"call":{"id":"call_ßüñ"}}"#, "call_1", "call_1"),
        (#"{"call":{"id":"a1b2c3d4"}}"#, "call_ß", "a1b2c3d4"),
        (#"{"call":{"id":"call_ßüñ"}}"#, "call_ß", nil),
        (#"{"a":1}"#, "call_ß", nil),
        (#"{"call":{"id":"a1b2c3d4"}}"#, nil, "a1b2c3d4"),
        (#"{"a":1}"#, nil, nil),
        // A repeated key means its last member, as the body's readers take it.
        (#"{"call":{"id":"first","id":"last"}}"#, "call_1", "last"),
        (#"{"call":{"id":"first"},"call":{"id":"last"}}"#, "call_1", "last"),
    ])
    func callingBoxsCallHeaderCopiesDataCallIdAndFallsBackToTheEventsCall(data: String, callId: String?, header: String?) throws {
        #expect(try self.render("callingbox", self.event(callId: callId, data: data)).header("X-CallingBox-Call-Id") == header)
    }

    @Test func aMidCallMetadataMemberRepeatedTakesItsLastValue() throws {
        let event = self.event(type: "order-status", data: "{}", metadata: #"{"fromNumber":"+431","fromNumber":"+432"}"#)
        let body = String(decoding: try self.render("callina-midcall", event).body, as: UTF8.self)
        #expect(body.contains(#""fromNumber":"+432""#), "\(body)")
        #expect(!body.contains("+431"), "\(body)")
    }

    @Test func anEventWithoutACallLeavesOutTheCallHeaderAndWritesNullWhereTheEnvelopeNeedsIt() throws {
        let event = self.event(callId: nil, data: #"{"a":1}"#)
        #expect(try self.render("callingbox", event).header("X-CallingBox-Call-Id") == nil)
        let body = String(decoding: try self.render("callina", event).body, as: UTF8.self)
        #expect(body == #"{"event":"call.completed","call_id":null,"occurred_at":"2026-05-09T14:32:55Z","data":{"a":1}}"#)
    }

    @Test func callaroKeepsDatasCallIdWhenTheEventHasNone() throws {
        let body = try self.render("callaro", self.event(callId: nil, data: #"{"call_id":"vs_9","x":true}"#)).body
        #expect(String(decoding: body, as: UTF8.self) == #"{"event":"call.completed","call_id":"vs_9","x":true}"#)
    }

    @Test func callaroEnvelopeFieldsWinOverDataMembersOfTheSameName() throws {
        let body = try self.render("callaro", self.event(callId: "vs_1", data: #"{"event":"spoof","call_id":"vs_2","x":1}"#)).body
        #expect(String(decoding: body, as: UTF8.self) == #"{"event":"call.completed","call_id":"vs_1","x":1}"#)
    }

    @Test func calleagueLeavesDataAloneWhenItAlreadyHasMetadata() throws {
        let event = self.event(data: #"{"metadata":{"mine":1}}"#, metadata: #"{"orderId":"A"}"#)
        let body = String(decoding: try self.render("calleague", event).body, as: UTF8.self)
        #expect(body.hasSuffix(#""data":{"metadata":{"mine":1}}}"#))
    }

    @Test func calleagueEchoesMetadataIntoEmptyData() throws {
        let body = String(decoding: try self.render("calleague", self.event(data: "{ }", metadata: #"{"o":1}"#)).body, as: UTF8.self)
        #expect(body.hasSuffix(#""data":{"metadata":{"o":1} }}"#))
    }

    @Test func calleagueWithoutMetadataSendsDataAsIs() throws {
        let body = String(decoding: try self.render("calleague", self.event(data: #"{"a":1}"#)).body, as: UTF8.self)
        #expect(body.hasSuffix(#""data":{"a":1}}"#))
    }

    @Test func stringsFromTheEventAreEscapedInTheBody() throws {
        let event = self.event(type: "odd\"type\\\u{01}", data: "{}")
        let body = try self.render("standard", event).body
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        #expect(object["type"] as? String == "odd\"type\\\u{01}")
    }

    @Test(arguments: ["{", #"{"a":}"#, "nul", #"{"a":1} x"#, "", #"{"a":"\x"}"#, "[1,]", "01"])
    func dataThatIsNotJSONIsRefused(data: String) throws {
        #expect(throws: ProfileError.self) { try self.render("standard", self.event(data: data)) }
    }

    @Test func spreadingDataThatIsNotAnObjectIsRefused() throws {
        #expect(throws: ProfileError.self) { try self.render("callaro", self.event(data: "[1,2]")) }
    }

    @Test func aLineBreakInAHeaderValueIsRefused() throws {
        let event = self.event(type: "call.completed\r\nX-Injected: 1", data: "{}")
        #expect(throws: ProfileError.invalidHeaderValue("CallingBox-Event-Type")) { try self.render("callingbox", event) }
    }

    @Test func deeplyNestedDataIsRefusedRatherThanOverflowingTheStack() throws {
        let data = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: ProfileError.self) { try self.render("standard", self.event(data: data)) }
    }

    @Test func timestampsAreWrittenInEachFormat() throws {
        let instantMs: Int64 = 951_782_400_123  // 2000-02-29T00:00:00.123Z, a leap day
        func body(_ format: TimeFormat) throws -> String {
            let profile = WireProfile(
                name: "t", signatureScheme: .none,
                envelope: [EnvelopeField(name: "at", source: .occurredAt, timeFormat: format)]
            )
            let event = OutgoingEvent(
                eventId: "e", deliveryId: "d", type: "t", occurredAtMs: instantMs, receivedAtMs: 0, data: Array("{}".utf8))
            return String(decoding: try profile.render(event, secrets: nil, bearerToken: nil, sentAtMs: 0).body, as: UTF8.self)
        }
        #expect(try body(.rfc3339) == #"{"at":"2000-02-29T00:00:00Z"}"#)
        #expect(try body(.rfc3339Millis) == #"{"at":"2000-02-29T00:00:00.123Z"}"#)
        #expect(try body(.unixSeconds) == #"{"at":951782400}"#)
        #expect(try body(.unixMillis) == #"{"at":951782400123}"#)
    }

    @Test func rfc3339AgreesWithFoundationAcrossTheCalendar() throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        let profile = WireProfile(name: "t", signatureScheme: .none, envelope: [EnvelopeField(name: "at", source: .occurredAt)])
        var seconds: Int64 = -2_208_988_800  // 1900-01-01
        while seconds < 4_102_444_800 {  // 2100-01-01
            let event = OutgoingEvent(
                eventId: "e", deliveryId: "d", type: "t", occurredAtMs: seconds * 1000, receivedAtMs: 0, data: Array("{}".utf8))
            let body = String(decoding: try profile.render(event, secrets: nil, bearerToken: nil, sentAtMs: 0).body, as: UTF8.self)
            let expected = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            #expect(body == "{\"at\":\"\(expected)\"}")
            seconds += 7_654_321
        }
    }
}
