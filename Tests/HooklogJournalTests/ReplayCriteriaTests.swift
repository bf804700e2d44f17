import HooklogCore
@testable import HooklogJournal
import Testing

/// A replay request's digest, which its idempotency key answers: the same filter asks for the same.
@Suite("Replay criteria")
struct ReplayCriteriaTests {
    private static func digest(_ eventTypes: [String]?) -> SHA256Digest {
        ReplayCriteria(sinceMs: 1, untilMs: 2, endpointId: nil, statusFilter: .failed, eventTypes: eventTypes).requestDigest(tenantId: nil)
    }

    @Test func theSameEventTypesInAnyOrderOrTwiceAskForTheSame() {
        #expect(Self.digest(["call.started", "call.completed"]) == Self.digest(["call.completed", "call.started", "call.started"]))
        #expect(Self.digest(["call.started"]) != Self.digest(["call.completed"]))
        #expect(Self.digest(nil) != Self.digest(["call.started"]))
    }

    /// Two spellings of one string (`é`, and `e` with a combining accent) are two types, as the
    /// bytes of events' types are: both are kept, in an order of their bytes.
    @Test func typesEqualAsStringsButOtherInBytesAreBothKept() {
        let composed = "caf\u{E9}.ready"
        let decomposed = "cafe\u{301}.ready"
        #expect(Self.digest([composed, decomposed]) == Self.digest([decomposed, composed]))
        #expect(Self.digest([composed, decomposed]) != Self.digest([composed]))
    }
}
