import HooklogCore
import Testing

@Suite("Reducer: tenants and endpoints")
struct ReducerEndpointTests {
    typealias F = Fixture

    @Test func tenantIsFoundByTheHashOfItsAPIKey() throws {
        var ledger = Ledger()
        try ledger.append(F.tenantCreated(key: 7))
        let value = ledger.projections.value(in: .apiKeys, forKey: ProjectionKeys.apiKey(SHA256Digest(bytes: [UInt8](repeating: 7, count: 32))!))
        #expect(value == F.tenant.bytes)
        #expect(throws: ReducerError.duplicate) { try ledger.append(F.tenantCreated()) }
        #expect(throws: ReducerError.duplicate) { try ledger.append(F.tenantCreated(F.otherTenant, key: 7)) }
    }

    @Test func aRotatedAPIKeyFindsTheTenantAndTheOldOneNoLonger() throws {
        var ledger = Ledger()
        let key = { (byte: UInt8) in SHA256Digest(bytes: [UInt8](repeating: byte, count: 32))! }
        let rotated = { (tenant: TenantID, byte: UInt8) in Record.tenantAPIKeyRotated(TenantAPIKeyRotated(tenantId: tenant, apiKeyHash: key(byte), rotatedAtMs: 5)) }
        #expect(throws: ReducerError.unknownTenant) { try ledger.append(rotated(F.tenant, 8)) }
        try ledger.append(F.tenantCreated(key: 7), F.tenantCreated(F.otherTenant, key: 9), rotated(F.tenant, 8))
        #expect(ledger.projections.value(in: .apiKeys, forKey: ProjectionKeys.apiKey(key(8))) == F.tenant.bytes)
        #expect(ledger.projections.value(in: .apiKeys, forKey: ProjectionKeys.apiKey(key(7))) == nil)
        #expect(ledger.projections.count(in: .apiKeys) == 2)
        #expect(try ledger.projections.tenant(F.tenant)?.apiKeyHash == key(8))
        #expect(throws: ReducerError.duplicate) { try ledger.append(rotated(F.tenant, 9)) }
        // The old key is free again, for this tenant or another.
        try ledger.append(rotated(F.otherTenant, 7))
        #expect(ledger.projections.value(in: .apiKeys, forKey: ProjectionKeys.apiKey(key(7))) == F.otherTenant.bytes)
    }

    /// A tenant creation's key is the admin's, apart from the admin's replay keys; the create
    /// command tells a repeat which tenant it made, so a record taking the key again is a broken log.
    @Test func aTenantCreatedWithAnIdempotencyKeyTakesItForTheAdminsTenantCreations() throws {
        var ledger = Ledger()
        let request = IdempotentRequest(key: "onboard", bodyDigest: SHA256Digest(bytes: [UInt8](repeating: 3, count: 32))!)
        let created = { (tenant: TenantID, byte: UInt8) in
            Record.tenantCreated(TenantCreated(
                tenantId: tenant, name: "Acme", apiKeyHash: SHA256Digest(bytes: [UInt8](repeating: byte, count: 32))!, defaultSigningSecret: "whsec_x",
                createdAtMs: 1, idempotentRequest: request
            ))
        }
        try ledger.append(created(F.tenant, 1))
        let taken = try #require(try ledger.projections.tenant(ofIdempotencyKey: "onboard"))
        #expect(taken.tenantId == F.tenant && taken.sequence == 1)
        #expect(try ledger.projections.replayAnswerSequence(ofIdempotencyKey: "onboard", replaysOf: nil) == nil)
        #expect(throws: ReducerError.duplicate) { try ledger.append(created(F.otherTenant, 2)) }
        #expect(try ledger.projections.tenant(F.otherTenant) == nil)
    }

    @Test func endpointStartsEnabledAndIsListedUnderItsTenant() throws {
        var ledger = Ledger()
        #expect(throws: ReducerError.unknownTenant) { try ledger.append(F.endpointCreated()) }
        try ledger.append(F.tenantCreated(), F.endpointCreated())
        let endpoint = try #require(try ledger.endpoint(F.endpoint))
        #expect(endpoint.status == .enabled && endpoint.signingSecret == "whsec_first" && endpoint.subscribes(to: "anything"))
        #expect(ledger.projections.entries(in: .tenantEndpoints).map(\.key) == [ProjectionKeys.tenantEndpoint(tenantId: F.tenant, createdSequence: endpoint.createdSequence, endpointId: F.endpoint)])
        #expect(throws: ReducerError.duplicate) { try ledger.append(F.endpointCreated()) }
    }

    @Test func anEndpointCreatedWithAnIdempotencyKeyTakesItForItsTenantsEndpointsAlone() throws {
        var ledger = Ledger()
        let request = IdempotentRequest(key: "crm-hook", bodyDigest: SHA256Digest(bytes: [UInt8](repeating: 3, count: 32))!)
        try ledger.append(F.tenantCreated(), F.tenantCreated(F.otherTenant, key: 2), F.endpointCreated(idempotentRequest: request))
        let sequence = try #require(try ledger.endpoint(F.endpoint)).createdSequence
        let taken = try #require(try ledger.projections.endpoint(ofIdempotencyKey: "crm-hook", tenantId: F.tenant))
        #expect(taken.endpointId == F.endpoint && taken.sequence == sequence)
        #expect(try ledger.projections.endpoint(ofIdempotencyKey: "crm-hook", tenantId: F.otherTenant) == nil)
        #expect(try ledger.projections.event(ofIdempotencyKey: "crm-hook", tenantId: F.tenant) == nil, "an event may use the key too")
        // The create command answers a repeat; a record taking the key again is a broken log.
        #expect(throws: ReducerError.duplicate) { try ledger.append(F.endpointCreated(F.otherEndpoint, idempotentRequest: request)) }
        try ledger.append(F.endpointCreated(F.otherEndpoint, tenant: F.otherTenant, idempotentRequest: request))
        // The key outlives its endpoint: a late repeat still gets the first answer, not a new endpoint.
        try ledger.append(.endpointDeleted(EndpointDeleted(tenantId: F.tenant, endpointId: F.endpoint, deletedAtMs: 5)))
        #expect(try ledger.projections.endpoint(ofIdempotencyKey: "crm-hook", tenantId: F.tenant)?.endpointId == F.endpoint)
    }

    @Test func updateChangesOnlyTheGivenFields() throws {
        var ledger = Ledger()
        try ledger.append(F.tenantCreated(), F.endpointCreated())
        try ledger.append(.endpointUpdated(EndpointUpdated(tenantId: F.tenant, endpointId: F.endpoint, enabledEvents: ["call.completed"], bearerToken: .clear, updatedAtMs: 50)))
        let endpoint = try #require(try ledger.endpoint(F.endpoint))
        #expect(endpoint.enabledEvents == ["call.completed"] && endpoint.bearerToken == nil && endpoint.updatedAtMs == 50)
        #expect(endpoint.url == "https://receiver.example/hook" && endpoint.metadata == Array("{\"a\":1}".utf8))
        #expect(!endpoint.subscribes(to: "call.started"))
    }

    /// A second rotation within the first one's grace leaves the first secret its deadline, as
    /// the first rotation's answer promised; a secret past its deadline at a rotation is dropped.
    @Test func rotationKeepsEveryReplacedSecretUntilItsOwnDeadline() throws {
        var ledger = Ledger()
        try ledger.append(F.tenantCreated(), F.endpointCreated())
        let first = try #require(try ledger.endpoint(F.endpoint)).signingSecret
        try ledger.append(.endpointSecretRotated(EndpointSecretRotated(tenantId: F.tenant, endpointId: F.endpoint, newSecret: "whsec_second", previousSecretValidUntilMs: 90_000, rotatedAtMs: 3)))
        try ledger.append(.endpointSecretRotated(EndpointSecretRotated(tenantId: F.tenant, endpointId: F.endpoint, newSecret: "whsec_third", previousSecretValidUntilMs: 95_000, rotatedAtMs: 4)))
        var endpoint = try #require(try ledger.endpoint(F.endpoint))
        #expect(endpoint.signingSecret == "whsec_third")
        #expect(endpoint.previousSecrets == [PreviousSecret(secret: "whsec_second", validUntilMs: 95_000), PreviousSecret(secret: first, validUntilMs: 90_000)])
        try ledger.append(.endpointSecretRotated(EndpointSecretRotated(tenantId: F.tenant, endpointId: F.endpoint, newSecret: "whsec_fourth", previousSecretValidUntilMs: 92_000, rotatedAtMs: 91_000)))
        endpoint = try #require(try ledger.endpoint(F.endpoint))
        #expect(endpoint.previousSecrets.map(\.secret) == ["whsec_third", "whsec_second"], "the first secret's grace ended at 90,000")
        for count in 5...10 {
            try ledger.append(.endpointSecretRotated(EndpointSecretRotated(tenantId: F.tenant, endpointId: F.endpoint, newSecret: "whsec_\(count)", previousSecretValidUntilMs: 99_000, rotatedAtMs: 91_001)))
        }
        #expect(try #require(try ledger.endpoint(F.endpoint)).previousSecrets.count == PreviousSecret.maxSigningCount, "bounded")
        // A rotation with no grace, after a leak: no earlier secret signs again either.
        try ledger.append(.endpointSecretRotated(EndpointSecretRotated(tenantId: F.tenant, endpointId: F.endpoint, newSecret: "whsec_leak", previousSecretValidUntilMs: 91_002, rotatedAtMs: 91_002)))
        #expect(try #require(try ledger.endpoint(F.endpoint)).previousSecrets.isEmpty)
    }

    @Test func disablingAnEndpointCancelsNothingByItself() throws {
        var ledger = try F.ledgerWithPendingDelivery()
        try ledger.append(.endpointDisabled(EndpointDisabled(tenantId: F.tenant, endpointId: F.endpoint, reason: .gone, disabledAtMs: 1_500)))
        #expect(try ledger.endpoint(F.endpoint)?.status == .disabled(reason: .gone, atMs: 1_500))
        #expect(try ledger.endpoint(F.endpoint)?.updatedAtMs == 1_500, "a disabling is a change of the endpoint")
        #expect(try ledger.delivery(F.delivery)?.status == .pending)
        #expect(ledger.due.count == 1)
        #expect(throws: ReducerError.invalidTransition) {
            try ledger.append(.endpointDisabled(EndpointDisabled(tenantId: F.tenant, endpointId: F.endpoint, reason: .byUser, disabledAtMs: 1_600)))
        }
    }

    @Test func enablingAnEndpointClearsItsFailingStreak() throws {
        var ledger = try F.ledgerWithPendingDelivery()
        try ledger.append(F.started(), F.finished(status: 500), F.retry(dueAtMs: 5_000))
        try ledger.append(.endpointDisabled(EndpointDisabled(tenantId: F.tenant, endpointId: F.endpoint, reason: .failingTooLong, disabledAtMs: 2_000)))
        try ledger.append(.endpointEnabled(EndpointEnabled(tenantId: F.tenant, endpointId: F.endpoint, enabledAtMs: 3_000)))
        let endpoint = try #require(try ledger.endpoint(F.endpoint))
        #expect(endpoint.status == .enabled && endpoint.failingSinceMs == nil)
        #expect(endpoint.updatedAtMs == 3_000, "an enabling is a change of the endpoint")
        #expect(throws: ReducerError.invalidTransition) { try ledger.append(.endpointEnabled(EndpointEnabled(tenantId: F.tenant, endpointId: F.endpoint, enabledAtMs: 3_001))) }
    }

    @Test func deletedEndpointLeavesItsTenantsListButItsDeliveriesStay() throws {
        var ledger = try F.ledgerWithPendingDelivery()
        try ledger.append(.endpointDeleted(EndpointDeleted(tenantId: F.tenant, endpointId: F.endpoint, deletedAtMs: 1_100)), F.cancelled(reason: .endpointDeleted))
        #expect(try ledger.endpoint(F.endpoint) == nil)
        #expect(ledger.projections.count(in: .tenantEndpoints) == 0)
        #expect(try ledger.delivery(F.delivery)?.status == .cancelled)
        #expect(ledger.projections.count(in: .endpointDeliveries) == 1)
        #expect(throws: ReducerError.unknownEndpoint) { try ledger.append(.endpointEnabled(EndpointEnabled(tenantId: F.tenant, endpointId: F.endpoint, enabledAtMs: 1))) }
        #expect(throws: ReducerError.unknownEndpoint) { try ledger.append(F.planned(DeliveryID(rawValue: 2))) }
    }

    @Test func attemptOfADeletedEndpointFinishesWithoutTouchingIt() throws {
        var ledger = try F.ledgerWithPendingDelivery()
        try ledger.append(F.started(), .endpointDeleted(EndpointDeleted(tenantId: F.tenant, endpointId: F.endpoint, deletedAtMs: 1_020)))
        try ledger.append(F.finished(status: 500), F.cancelled(reason: .endpointDeleted))
        #expect(try ledger.endpoint(F.endpoint) == nil)
        #expect(try ledger.delivery(F.delivery)?.status == .cancelled)
    }

    @Test func anEndpointRecordNamingAnotherTenantIsRejectedAndOneFromBeforeTenantsWereNamedIsTakenAtItsWord() throws {
        var ledger = Ledger()
        try ledger.append(F.tenantCreated(), F.tenantCreated(F.otherTenant, key: 9), F.endpointCreated())
        let before = try ledger.endpoint(F.endpoint)
        #expect(throws: ReducerError.tenantMismatch) {
            try ledger.append(.endpointDeleted(EndpointDeleted(tenantId: F.otherTenant, endpointId: F.endpoint, deletedAtMs: 1_100)))
        }
        #expect(throws: ReducerError.tenantMismatch) {
            try ledger.append(.endpointUpdated(EndpointUpdated(tenantId: F.otherTenant, endpointId: F.endpoint, description: "taken", updatedAtMs: 1_100)))
        }
        #expect(try ledger.endpoint(F.endpoint) == before)
        // Codec version 1 wrote no tenant into endpoint records.
        try ledger.append(.endpointDisabled(EndpointDisabled(tenantId: nil, endpointId: F.endpoint, reason: .byUser, disabledAtMs: 1_200)))
        try ledger.append(.endpointDeleted(EndpointDeleted(tenantId: nil, endpointId: F.endpoint, deletedAtMs: 1_300)))
        #expect(try ledger.endpoint(F.endpoint) == nil)
    }
}
