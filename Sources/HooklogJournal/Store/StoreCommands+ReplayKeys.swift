import HooklogCore

/// A replay request's idempotency key: the first request with a key journals `ReplayAnswered`
/// after its replays, in the same command; a repeat, found before any search or in the writer's
/// own snapshot (two at once), gets that first answer and journals nothing.
extension StoreCommands {
    /// The first answer to replay requests carrying `key`, rebuilt from its `ReplayAnswered`
    /// record and its replays; `nil` if the key is new. Each replay's own skips are not kept:
    /// the answer's are their total. A request asking for something else than the first
    /// (`requestDigest`) is refused (`idempotencyKeyReused`).
    static func firstAnswer(to key: ReplayIdempotencyKey, requestDigest: SHA256Digest, snapshot: StoreSnapshot) throws -> RequestedReplays? {
        let idempotencyKey = key.key
        guard let sequence = try snapshot.projections.replayAnswerSequence(ofIdempotencyKey: idempotencyKey, replaysOf: key.ownerTenantId) else { return nil }
        guard case .replayAnswered(let answered)? = try snapshot.record(at: sequence) else {
            throw ReplayAnswerError(description: "idempotency key \"\(idempotencyKey)\": the record at sequence \(sequence) is no replay answer")
        }
        guard answered.requestDigest == requestDigest else { throw ReplayError.idempotencyKeyReused(idempotencyKey) }
        let replays = try answered.replayIds.map { replayId in
            guard let state = try snapshot.projections.replay(replayId) else {
                throw ReplayAnswerError(description: "idempotency key \"\(idempotencyKey)\": no replay \(replayId)")
            }
            return RequestedReplay(replayId: replayId, tenantId: state.tenantId, matched: Int(clamping: state.scheduledCount), skipped: ReplaySkips())
        }
        var skipped = ReplaySkips()
        skipped.unfinishedCount = Int(clamping: answered.unfinishedCount)
        skipped.endpointDisabledCount = Int(clamping: answered.endpointDisabledCount)
        return RequestedReplays(replays: replays, skipped: skipped, isRepeat: true)
    }

    /// Journals that `requested` is the answer to `key`, for the request `requestDigest` names.
    static func appendAnswer(
        _ requested: RequestedReplays,
        to key: ReplayIdempotencyKey,
        requestDigest: SHA256Digest,
        nowMs: UInt64,
        writer: inout LogWriter
    ) throws {
        try writer.append(.replayAnswered(ReplayAnswered(
            tenantId: key.ownerTenantId,
            idempotencyKey: key.key,
            requestDigest: requestDigest,
            replayIds: requested.replays.map(\.replayId),
            unfinishedCount: UInt64(requested.skipped.unfinishedCount),
            endpointDisabledCount: UInt64(requested.skipped.endpointDisabledCount),
            answeredAtMs: nowMs
        )))
    }
}

/// A replay request's answer cannot be made or read back: the log or the projections say
/// something that cannot be.
struct ReplayAnswerError: Error, CustomStringConvertible {
    let description: String
}
