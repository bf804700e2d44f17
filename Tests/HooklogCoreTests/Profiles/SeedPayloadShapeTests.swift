import HooklogCore
import Testing

/// Each seed's example payload, and the event that must render to exactly that body under its profile.
struct SeedExample: CustomTestStringConvertible, Sendable {
    var profileName: String
    var event: OutgoingEvent
    var timestampSeconds: Int64
    /// The example as the seed page prints it (whitespace is not significant).
    var expectedJSON: String

    var testDescription: String { self.profileName }

    /// The seeds' examples: Callina (000), Callina mid-call (000 and 001), Callaro (002), Calleague (003), CallingBox (004),
    /// and the Standard Webhooks specification's payload shape.
    static let all: [SeedExample] = [
        SeedExample(
            profileName: "callina",
            event: OutgoingEvent(
                eventId: "evt_c41", deliveryId: "dlv_c41", type: "call.completed",
                occurredAtMs: 1_778_337_175_000, receivedAtMs: 1_778_337_176_000, callId: "call_x1y2z3",
                data: Array(
                    """
                    {
                        "from": "+43660123456789",
                        "to": "+43662275123",
                        "duration_seconds": 174,
                        "outcome": "completed",
                        "summary": "Caller booked an appointment for Thursday 9:30 ...",
                        "structured_fields": {
                          "caller_name": "Maria Steinhauser",
                          "intent": "appointment_booking",
                          "next_step": "Anna booked the slot in tomedo"
                        }
                      }
                    """.utf8)
            ),
            timestampSeconds: 1_778_337_180,
            expectedJSON: """
                {
                  "event": "call.completed",
                  "call_id": "call_x1y2z3",
                  "occurred_at": "2026-05-09T14:32:55Z",
                  "data": {
                    "from": "+43660123456789",
                    "to": "+43662275123",
                    "duration_seconds": 174,
                    "outcome": "completed",
                    "summary": "Caller booked an appointment for Thursday 9:30 ...",
                    "structured_fields": {
                      "caller_name": "Maria Steinhauser",
                      "intent": "appointment_booking",
                      "next_step": "Anna booked the slot in tomedo"
                    }
                  }
                }
                """
        ),
        // Seed 001, "Request payload (intent.detected)".
        SeedExample(
            profileName: "callina-midcall-event",
            event: OutgoingEvent(
                eventId: "inv_m1", deliveryId: "inv_m1", type: "intent.detected",
                occurredAtMs: 1_778_337_175_000, receivedAtMs: 1_778_337_175_000, callId: "call_x1y2z3",
                data: Array(#"{"order_number": "ORD-12345"}"#.utf8),
                metadata: Array(#"{"intent": "lookup_order", "context": {"caller_phone": "+43660123456789", "caller_name": "Maria Steinhauser"}}"#.utf8)
            ),
            timestampSeconds: 1_778_337_175,
            expectedJSON: """
                {
                  "event": "intent.detected",
                  "call_id": "call_x1y2z3",
                  "occurred_at": "2026-05-09T14:32:55Z",
                  "intent": "lookup_order",
                  "params": {
                    "order_number": "ORD-12345"
                  },
                  "context": {
                    "caller_phone": "+43660123456789",
                    "caller_name": "Maria Steinhauser"
                  }
                }
                """
        ),
        SeedExample(
            profileName: "callina-midcall",
            event: OutgoingEvent(
                eventId: "evt_m1", deliveryId: "dlv_m1", type: "order-status",
                occurredAtMs: 1_778_421_599_000, receivedAtMs: 1_778_421_599_500, callId: "...",
                data: Array(#"{ "orderId": "12345" }"#.utf8),
                metadata: Array(#"{"fromNumber": "+43...", "toNumber": "+43..."}"#.utf8)
            ),
            timestampSeconds: 1_778_421_600,
            expectedJSON: """
                {
                  "sessionId": "...",
                  "fromNumber": "+43...",
                  "toNumber": "+43...",
                  "args": { "purpose": "order-status", "payload": { "orderId": "12345" } },
                  "$now": "2026-05-10T14:00:00.000Z"
                }
                """
        ),
        SeedExample(
            profileName: "callaro",
            event: OutgoingEvent(
                eventId: "evt_a7", deliveryId: "dlv_a7", type: "call.completed",
                occurredAtMs: 1_778_337_175_000, receivedAtMs: 1_778_337_176_000, callId: "vs_12345",
                data: Array(
                    """
                    {
                      "voice_session_id": 9001,
                      "call_sid": "CA123...",
                      "tenant_id": 44,
                      "agent_id": 42,
                      "direction": "outbound",
                      "from_e164": "+14155550100",
                      "to_e164": "+919900000001",
                      "extracted_data": {},
                      "runtime_vars": {},
                      "tool_calls": []
                    }
                    """.utf8)
            ),
            timestampSeconds: 1_778_337_180,
            expectedJSON: """
                {
                  "event": "call.completed",
                  "call_id": "vs_12345",
                  "voice_session_id": 9001,
                  "call_sid": "CA123...",
                  "tenant_id": 44,
                  "agent_id": 42,
                  "direction": "outbound",
                  "from_e164": "+14155550100",
                  "to_e164": "+919900000001",
                  "extracted_data": {},
                  "runtime_vars": {},
                  "tool_calls": []
                }
                """
        ),
        SeedExample(
            profileName: "calleague",
            event: OutgoingEvent(
                eventId: "dl_4c19", deliveryId: "dlv_x", type: "call.completed",
                occurredAtMs: 1_767_268_884_000, receivedAtMs: 1_767_268_884_100, callId: "cl_8f2a",
                data: Array(
                    """
                    {
                        "callId": "cl_8f2a",
                        "agentId": "ag_123",
                        "direction": "inbound",
                        "durationSec": 84,
                        "endedReason": "completed",
                        "language": "tr"
                      }
                    """.utf8),
                metadata: Array(#"{ "orderId": "A-1042" }"#.utf8)
            ),
            timestampSeconds: 1_767_268_890,
            expectedJSON: """
                {
                  "event": "call.completed",
                  "deliveryId": "dl_4c19",
                  "occurredAt": "2026-01-01T12:01:24.000Z",
                  "data": {
                    "callId": "cl_8f2a",
                    "agentId": "ag_123",
                    "direction": "inbound",
                    "durationSec": 84,
                    "endedReason": "completed",
                    "language": "tr",
                    "metadata": { "orderId": "A-1042" }
                  }
                }
                """
        ),
        SeedExample(
            profileName: "callingbox",
            event: OutgoingEvent(
                eventId: "9c1d9f9e-21a1-4f6d-8fce-bf4a4b8a9e3f", deliveryId: "dlv_b", type: "call.completed",
                occurredAtMs: 1_713_268_800_000, receivedAtMs: 1_713_268_800_400,
                callId: "a1b2c3d4-e5f6-7890-abcd-ef1234567890",
                data: Array(
                    """
                    {
                        "call": {
                          "id": "a1b2c3d4-e5f6-7890-abcd-ef1234567890",
                          "status": "completed",
                          "result": { "confirmed": true },
                          "duration_seconds": 34
                        }
                      }
                    """.utf8)
            ),
            timestampSeconds: 1_713_268_805,
            expectedJSON: """
                {
                  "id": "9c1d9f9e-21a1-4f6d-8fce-bf4a4b8a9e3f",
                  "type": "call.completed",
                  "created": 1713268800,
                  "api_version": "2026-04",
                  "data": {
                    "call": {
                      "id": "a1b2c3d4-e5f6-7890-abcd-ef1234567890",
                      "status": "completed",
                      "result": { "confirmed": true },
                      "duration_seconds": 34
                    }
                  }
                }
                """
        ),
        SeedExample(
            profileName: "standard",
            event: OutgoingEvent(
                eventId: "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", deliveryId: "dlv_s", type: "contact.created",
                occurredAtMs: 1_667_507_170_344, receivedAtMs: 1_667_507_170_400,
                data: Array(#"{"email": "john@example.com", "id": "cust_123"}"#.utf8)
            ),
            timestampSeconds: 1_667_507_171,
            expectedJSON: """
                {
                  "type": "contact.created",
                  "timestamp": "2022-11-03T20:26:10.344Z",
                  "data": { "email": "john@example.com", "id": "cust_123" }
                }
                """
        ),
    ]
}

@Suite("Profile bodies match the seeds' example payloads")
struct SeedPayloadShapeTests {
    @Test(arguments: SeedExample.all)
    func renderedBodyHasExactlyTheSeedsFieldsInTheSeedsOrder(example: SeedExample) throws {
        let request = try ProfileFixtures.profile(example.profileName).render(
            example.event,
            secrets: SigningSecrets(current: ProfileFixtures.secret(for: try ProfileFixtures.profile(example.profileName).signatureScheme)),
            bearerToken: ProfileFixtures.bearerToken,
            sentAtMs: example.timestampSeconds * 1_000
        )
        let body = String(decoding: request.body, as: UTF8.self)
        #expect(ProfileFixtures.minified(body) == ProfileFixtures.minified(example.expectedJSON))
    }

    @Test(arguments: SeedExample.all.filter { $0.profileName != "callaro" })
    func renderedBodyEmbedsTheEventsDataBytesVerbatim(example: SeedExample) throws {
        let profile = try ProfileFixtures.profile(example.profileName)
        let request = try profile.render(
            example.event,
            secrets: SigningSecrets(current: ProfileFixtures.secret(for: profile.signatureScheme)),
            bearerToken: ProfileFixtures.bearerToken,
            sentAtMs: example.timestampSeconds * 1_000
        )
        // Calleague inserts metadata before the closing brace: everything up to the last member stays verbatim.
        var data = example.event.data
        if example.profileName == "calleague" {
            data = Array(data[...data.lastIndex(of: UInt8(ascii: "\""))!])
        }
        #expect(request.body.firstRange(of: data) != nil)
    }

    @Test func callaroSpreadKeepsEachMembersValueBytesVerbatim() throws {
        let event = OutgoingEvent(
            eventId: "evt_1", deliveryId: "dlv_1", type: "call.completed", occurredAtMs: 0, receivedAtMs: 0, callId: "vs_1",
            data: Array(#"{"amount": 1.50e0, "note": "caf\u00e9", "nested": {"b": 1, "a": 2}}"#.utf8)
        )
        let request = try ProfileFixtures.profile("callaro").render(event, secrets: nil, bearerToken: nil, sentAtMs: 10_000)
        #expect(
            String(decoding: request.body, as: UTF8.self)
                == #"{"event":"call.completed","call_id":"vs_1","amount":1.50e0,"note":"caf\u00e9","nested":{"b": 1, "a": 2}}"#
        )
    }
}
