extension Reduction {
    /// A new mid-call invocation, without a result. Its endpoint may be gone by the time the start
    /// is journaled (the call, already on its way, carries the URL it was sent to); one that is
    /// still there must be its tenant's.
    mutating func apply(_ record: InvocationStarted) throws(ReducerError) {
        _ = try self.requireTenant(record.tenantId)
        guard try self.invocation(record.invocationId) == nil else { throw .duplicate("invocation \(record.invocationId)") }
        if let endpointId = record.endpointId, let endpoint = try self.endpoint(endpointId) {
            guard endpoint.tenantId == record.tenantId else {
                throw .tenantMismatch("invocation \(record.invocationId) of \(record.tenantId) calls endpoint of \(endpoint.tenantId)")
            }
        }
        let invocation = InvocationState(
            tenantId: record.tenantId,
            endpointId: record.endpointId,
            url: record.url,
            callId: record.callId,
            budgetMs: record.budgetMs,
            startedAtMs: record.startedAtMs,
            startedSequence: self.sequence
        )
        self.putInvocation(record.invocationId, invocation)
    }

    /// The invocation's one and only result.
    mutating func apply(_ record: InvocationFinished) throws(ReducerError) {
        guard var invocation = try self.invocation(record.invocationId) else { throw .unknownInvocation(record.invocationId) }
        guard invocation.result == nil else { throw .invalidTransition("invocation \(record.invocationId) has a result already") }
        invocation.result = InvocationResult(
            finishedAtMs: record.finishedAtMs,
            statusCode: record.statusCode,
            latencyMs: record.latencyMs,
            errorKind: record.errorKind,
            finishedSequence: self.sequence
        )
        self.putInvocation(record.invocationId, invocation)
    }
}
