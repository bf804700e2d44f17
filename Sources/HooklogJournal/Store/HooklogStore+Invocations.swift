public import HooklogCore

extension HooklogStore {
    /// After a restart: every invocation journaled as started but never finished is finished as
    /// `interrupted`, so that readers waiting on it get an answer instead of `pending` for ever.
    /// Returns how many. Run at start; `isRunningHere` names the invocations this process has
    /// begun meanwhile (asked in the command, so one whose start lands first is not taken for
    /// dead). Only the `runningInvocations` index is read, so the cost is that of the unfinished.
    @discardableResult
    public func recoverInterruptedInvocations(
        nowMs: UInt64,
        skipping isRunningHere: @escaping @Sendable (InvocationID) -> Bool = { _ in false }
    ) async throws -> Int {
        try await self.command { writer, snapshot in
            var unfinished: [InvocationID] = []
            try snapshot.projections.scan(.runningInvocations) { key, _ in
                if let invocationId = InvocationID(bytes: key), !isRunningHere(invocationId) {
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
