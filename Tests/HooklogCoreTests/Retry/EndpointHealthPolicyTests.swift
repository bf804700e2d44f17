import HooklogCore
import Testing

@Suite("Endpoint health")
struct EndpointHealthPolicyTests {
    let dayMs: Int64 = 86_400_000

    @Test func anEndpointFailingForFiveDaysWithoutASuccessIsDisabled() {
        let policy = EndpointHealthPolicy()
        #expect(policy.failingForMs == 5 * self.dayMs)
        #expect(!policy.shouldDisable(failingSinceMs: 0, nowMs: 5 * self.dayMs - 1))
        #expect(policy.shouldDisable(failingSinceMs: 0, nowMs: 5 * self.dayMs))
        #expect(policy.disableAtMs(failingSinceMs: 1_000) == 5 * self.dayMs + 1_000)
    }

    @Test func anEndpointWhoseLastAttemptSucceededIsNeverDisabled() {
        #expect(!EndpointHealthPolicy().shouldDisable(failingSinceMs: nil, nowMs: Int64.max))
    }

    @Test func thePeriodIsConfigurable() {
        let policy = EndpointHealthPolicy(failingForMs: 1_000)
        #expect(!policy.shouldDisable(failingSinceMs: 500, nowMs: 1_499))
        #expect(policy.shouldDisable(failingSinceMs: 500, nowMs: 1_500))
    }

    @Test func disablingEmitsTheCataloguedEventType() {
        #expect(EndpointHealthPolicy.disabledEventType == "endpoint.disabled")
    }
}
