public import HooklogCore

extension HooklogStore {
    /// After a restart: every invocation journaled as started but never finished is finished as
    /// `interrupted`, so that readers waiting on it get an answer instead of `pending` for ever.
    /// Returns how many. Run at start, before any invocation of this process begins.
    @discardableResult
    public func recoverInterruptedInvocations(nowMs: UInt64) async throws -> Int {
        try await self.command { writer, snapshot in
            var unfinished: [InvocationID] = []
            try snapshot.projections.scan(.invocations) { key, value in
                if let invocationId = InvocationID(bytes: key), try InvocationState(decoding: value).result == nil {
                    unfinished.append(invocationId)
                }
                return true
            }
            for invocationId in unfinished {
                try writer.append(.invocationFinished(InvocationFinished(
                    invocationId: invocationId,
                    finishedAtMs: nowMs,
                    statusCode: nil,
                    responseBody: [],
                    latencyMs: 0,
                    errorKind: .interrupted
                )))
            }
            return unfinished.count
        }
    }
}
