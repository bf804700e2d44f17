import HooklogCore

extension ExportBuffer {
    /// What stands in for a secret in exported fields.
    static let redacted: StaticString = "\"[redacted]\""

    /// The record's fields as one JSON object, `snake_case` keys, times in RFC 3339, byte strings
    /// in base64 (`…_base64`).
    ///
    /// Secrets are never written: the signing secrets of `EndpointCreated`, `EndpointSecretRotated`,
    /// `TenantCreated` and `TenantInlineSecretRotated`, bearer tokens of `EndpointCreated` and
    /// `EndpointUpdated`, and the API key hashes of `TenantCreated` and `TenantAPIKeyRotated`
    /// appear as `"[redacted]"` (an absent token stays `null`). An `EventReceived`'s raw body is
    /// not among the fields; the export writes it separately.
    ///
    /// `isReadByTenant`: one tenant's export (its own, or the admin's of it), where `TenantCreated`'s
    /// idempotency key, the admin's and not the tenant's, is redacted too.
    mutating func append(fieldsOf record: Record, isReadByTenant: Bool = false) {
        self.append(byte: UInt8(ascii: "{"))
        switch record {
        case .tenantCreated(let value):
            self.field("tenant_id", id: value.tenantId)
            self.field("name", string: value.name)
            self.field("api_key_hash", raw: Self.redacted)
            self.field("default_signing_secret", raw: Self.redacted)
            self.field("inline_profile", string: value.inlineProfile)
            self.field("created_at", time: value.createdAtMs)
            if isReadByTenant, value.idempotentRequest != nil {
                self.field("idempotency_key", raw: Self.redacted)
            } else {
                self.field("idempotency_key", string: value.idempotentRequest?.key)
            }
        case .tenantAPIKeyRotated(let value):
            self.field("tenant_id", id: value.tenantId)
            self.field("api_key_hash", raw: Self.redacted)
            self.field("rotated_at", time: value.rotatedAtMs)
        case .tenantInlineSecretRotated(let value):
            self.field("tenant_id", id: value.tenantId)
            self.field("new_secret", raw: Self.redacted)
            self.field("previous_secret_valid_until", time: value.previousSecretValidUntilMs)
            self.field("rotated_at", time: value.rotatedAtMs)
        case .endpointCreated(let value):
            self.field("endpoint_id", id: value.endpointId)
            self.field("tenant_id", id: value.tenantId)
            self.field("url", string: value.url)
            self.field("description", string: value.description)
            self.field("enabled_events", strings: value.enabledEvents)
            self.field("profile", string: value.profile)
            self.field("signing_secret", raw: Self.redacted)
            self.field("bearer_token", raw: value.bearerToken == nil ? "null" : Self.redacted)
            self.field("metadata_base64", base64: value.metadata)
            self.field("created_at", time: value.createdAtMs)
            self.field("idempotency_key", string: value.idempotentRequest?.key)
        case .endpointUpdated(let value):
            self.field("endpoint_id", id: value.endpointId)
            self.field("tenant_id", id: value.tenantId)
            if let url = value.url { self.field("url", string: url) }
            if let description = value.description { self.field("description", string: description) }
            if let enabledEvents = value.enabledEvents { self.field("enabled_events", strings: enabledEvents) }
            if let profile = value.profile { self.field("profile", string: profile) }
            switch value.bearerToken {
            case .keep: break
            case .set: self.field("bearer_token", raw: Self.redacted)
            case .clear: self.field("bearer_token", raw: "null")
            }
            switch value.metadata {
            case .keep: break
            case .set(let metadata): self.field("metadata_base64", base64: metadata)
            case .clear: self.field("metadata_base64", raw: "null")
            }
            self.field("updated_at", time: value.updatedAtMs)
        case .endpointSecretRotated(let value):
            self.field("endpoint_id", id: value.endpointId)
            self.field("tenant_id", id: value.tenantId)
            self.field("new_secret", raw: Self.redacted)
            self.field("previous_secret_valid_until", time: value.previousSecretValidUntilMs)
            self.field("rotated_at", time: value.rotatedAtMs)
        case .endpointDisabled(let value):
            self.field("endpoint_id", id: value.endpointId)
            self.field("tenant_id", id: value.tenantId)
            self.field("reason", string: value.reason.name)
            self.field("disabled_at", time: value.disabledAtMs)
        case .endpointEnabled(let value):
            self.field("endpoint_id", id: value.endpointId)
            self.field("tenant_id", id: value.tenantId)
            self.field("enabled_at", time: value.enabledAtMs)
        case .endpointDeleted(let value):
            self.field("endpoint_id", id: value.endpointId)
            self.field("tenant_id", id: value.tenantId)
            self.field("deleted_at", time: value.deletedAtMs)
        case .eventReceived(let value):
            self.field("event_id", id: value.eventId)
            self.field("tenant_id", id: value.tenantId)
            self.field("type", string: value.type)
            self.field("received_at", time: value.receivedAtMs)
            self.field("occurred_at", time: value.occurredAtMs)
            self.field("call_id", string: value.callId)
            self.field("idempotency_key", string: value.idempotencyKey)
            self.field("webhook_url", string: value.webhookURL)
            self.field("body_bytes", integer: UInt64(value.rawBody.count))
        case .deliveryPlanned(let value):
            self.field("delivery_id", id: value.deliveryId)
            self.field("event_id", id: value.eventId)
            self.field("tenant_id", id: value.tenantId)
            switch value.target {
            case .endpoint(let endpointId): self.field("endpoint_id", id: endpointId)
            case .inline(let url): self.field("inline_url", string: url)
            }
            self.field("planned_at", time: value.plannedAtMs)
        case .attemptStarted(let value):
            self.field("delivery_id", id: value.deliveryId)
            self.field("attempt", integer: UInt64(value.attemptNumber))
            self.field("started_at", time: value.startedAtMs)
            self.field("replay_id", id: value.replayId)
        case .attemptFinished(let value):
            self.field("delivery_id", id: value.deliveryId)
            self.field("attempt", integer: UInt64(value.attemptNumber))
            self.field("finished_at", time: value.finishedAtMs)
            self.field("status_code", integer: value.statusCode.map(UInt64.init))
            self.field("latency_ms", integer: value.latencyMs)
            self.field("error", string: value.errorKind?.name)
            self.field("response_excerpt_base64", base64: value.responseExcerpt)
        case .deliveryRetryScheduled(let value):
            self.field("delivery_id", id: value.deliveryId)
            self.field("due_at", time: value.dueAtMs)
            self.field("replay_id", id: value.replayId)
            self.field("idempotency_key", string: value.idempotencyKey)
        case .deliverySucceeded(let value):
            self.field("delivery_id", id: value.deliveryId)
            self.field("succeeded_at", time: value.succeededAtMs)
        case .deliveryFailed(let value):
            self.field("delivery_id", id: value.deliveryId)
            self.field("failed_at", time: value.failedAtMs)
            self.field("reason", string: value.reason.name)
        case .deliveryCancelled(let value):
            self.field("delivery_id", id: value.deliveryId)
            self.field("cancelled_at", time: value.cancelledAtMs)
            self.field("reason", string: value.reason.name)
        case .replayRequested(let value):
            self.field("replay_id", id: value.replayId)
            self.field("tenant_id", id: value.tenantId)
            self.field("since", time: value.sinceMs)
            self.field("until", time: value.untilMs)
            self.field("endpoint_id", id: value.endpointId)
            self.field("status", string: value.statusFilter.name)
            self.field("event_types", strings: value.eventTypes)
            self.field("requested_at", time: value.requestedAtMs)
        case .replayAnswered(let value):
            self.field("tenant_id", id: value.tenantId)
            self.field("idempotency_key", string: value.idempotencyKey)
            self.field("replay_ids", strings: value.replayIds.map(\.description))
            self.field("skipped_unfinished", integer: value.unfinishedCount)
            self.field("skipped_endpoint_disabled", integer: value.endpointDisabledCount)
            self.field("answered_at", time: value.answeredAtMs)
        case .invocationStarted(let value):
            self.field("invocation_id", id: value.invocationId)
            self.field("tenant_id", id: value.tenantId)
            self.field("endpoint_id", id: value.endpointId)
            self.field("url", string: value.url)
            self.field("call_id", string: value.callId)
            self.field("request_body_base64", base64: value.requestBody)
            self.field("budget_ms", integer: value.budgetMs)
            self.field("started_at", time: value.startedAtMs)
        case .invocationFinished(let value):
            self.field("invocation_id", id: value.invocationId)
            self.field("finished_at", time: value.finishedAtMs)
            self.field("status_code", integer: value.statusCode.map(UInt64.init))
            self.field("response_body_base64", base64: value.responseBody)
            self.field("latency_ms", integer: value.latencyMs)
            self.field("error", string: value.errorKind?.name)
        }
        self.append(byte: UInt8(ascii: "}"))
    }

    /// `"name":`, after a comma unless it is the object's first field.
    private mutating func key(_ name: StaticString) {
        if self.bytes.last != UInt8(ascii: "{") { self.append(byte: UInt8(ascii: ",")) }
        self.append(byte: UInt8(ascii: "\""))
        self.append(name)
        self.append("\":")
    }

    private mutating func field(_ name: StaticString, raw: StaticString) {
        self.key(name)
        self.append(raw)
    }

    private mutating func field<Kind>(_ name: StaticString, id: PrefixedID<Kind>?) {
        self.key(name)
        self.append(jsonID: id)
    }

    private mutating func field(_ name: StaticString, string: String?) {
        self.key(name)
        self.append(jsonString: string)
    }

    private mutating func field(_ name: StaticString, strings: [String]?) {
        self.key(name)
        if let strings { self.append(jsonStrings: strings) } else { self.append("null") }
    }

    private mutating func field(_ name: StaticString, time: UInt64?) {
        self.key(name)
        self.append(jsonTimestampMs: time)
    }

    private mutating func field(_ name: StaticString, integer: UInt64?) {
        self.key(name)
        self.append(jsonInteger: integer)
    }

    private mutating func field(_ name: StaticString, base64: [UInt8]?) {
        self.key(name)
        self.append(jsonBase64: base64)
    }
}
