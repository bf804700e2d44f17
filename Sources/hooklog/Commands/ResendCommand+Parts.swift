import ArgumentParser
import Foundation
import HooklogJournal

extension ResendCommand {
    /// Asks `ask` for the replay of `criteria`'s window, in as many parts as it takes
    /// (`ReplayInParts`), printing each replay as it is made, then what was re-sent in all and
    /// when it goes out (`sending`). A part that fails stops the resend, saying what became of
    /// the window and how to go on.
    ///
    /// `runId` names the Idempotency-Keys of the parts asked for through the API (`nil` offline).
    /// It is printed first, and each part's window before it is asked for: a run cut short
    /// (Ctrl-C, a dropped session) is taken up again with that id and the last window printed,
    /// which asks with the same key and so re-sends nothing twice.
    static func resendInParts(
        _ criteria: ReplayCriteria,
        sending: String,
        runId: String?,
        _ ask: (ReplayCriteria) async throws -> ReplayInParts.Answer<ResendAnswer>
    ) async throws {
        if let runId {
            print("""
                run \(runId) (should it be cut short, the same command with --run-id \(runId) and the --since and --until of \
                the last part asked for takes it up again safely; then --since that part's --until)
                """)
        }
        // Out at once, into a pipe too: a run killed with its lines still buffered tells nothing.
        fflush(nil)
        var total = ResendAnswer()
        let parts: [(window: Range<UInt64>, answer: ResendAnswer)]
        do {
            parts = try await ReplayInParts.request(criteria) { part in
                if runId != nil {
                    print("asking for the part --since \(Self.rfc3339(part.sinceMs)) --until \(Self.rfc3339(part.untilMs))")
                    fflush(nil)
                }
                let answer = try await ask(part)
                // Printed as each part is taken: a later part may fail.
                switch answer {
                case .taken(let taken):
                    for replay in taken.replays {
                        print("replay \(replay.id)\(replay.tenantId.map { " of tenant \($0)" } ?? ""): \(replay.matched) deliveries scheduled")
                    }
                    total.add(taken)
                case .tooLarge where runId != nil:
                    // Said, so that the next line asking for a part is not read as a second one.
                    print("  too large for one replay, nothing journaled: asking for a part of it")
                case .tooLarge:
                    break
                }
                return answer
            }
        } catch {
            throw Self.failure(error, of: criteria, resentBefore: total.matched, runId: runId)
        }
        if parts.count > 1 {
            print("the window holds more than one replay may re-send: asked for in \(parts.count) parts")
        }
        print("\(total.matched - total.repeatedCount) deliveries \(sending)")
        if total.repeatedCount > 0 {
            print("""
                \(total.repeatedCount) more were asked for by the earlier run: its answers, repeated to its Idempotency-Keys, and \
                nothing is sent twice (GET /v1/replays/{id} shows how far each replay is)
                """)
        }
        if total.coversOnlyTheKeysTenant {
            print("only the API key's tenant's deliveries: the key is a tenant's (--api-key or HOOKLOG_API_KEY); the admin key resends every tenant's")
        }
        print(Self.skippedLine(unfinished: total.unfinishedCount, endpointDisabled: total.endpointDisabledCount))
    }

    /// What to tell the operator of a part that failed, `resentCount` deliveries re-sent before
    /// it: thrown, it exits 1 (run again from where it says), or 2 when no answer came (what
    /// became of the part is unknown: look before running it again).
    private static func failure(_ failed: ReplayInParts.PartFailed, of criteria: ReplayCriteria, resentBefore resentCount: Int, runId: String?) -> any Error {
        let from = Self.rfc3339(failed.sinceMs)
        let before = failed.sinceMs == criteria.sinceMs ? "" : "\nthe window before \(from) was replayed: \(resentCount) deliveries re-sent"
        switch failed.cause {
        case .failed where failed.sinceMs == criteria.sinceMs:
            return CommandFailure("cannot resend: \(failed.reason)")
        case .failed:
            return CommandFailure("cannot resend the window from \(from) on: \(failed.reason)\(before): to go on, run again with --since \(from)")
        case .indivisible:
            return CommandFailure("""
                cannot resend the millisecond at \(from): it alone holds more deliveries than one replay may re-send or look at
                narrow the resend with --tenant, --endpoint or --event-type; or, if it is the deliveries re-sent that are too many, raise \
                replayMaxDeliveries (HOOKLOG_REPLAY_MAX_DELIVERIES) where the replay is journaled\(before)
                """)
        case .unanswered:
            let until = Self.rfc3339(failed.untilMs)
            FileHandle.standardError.write(Data("""
                Error: no answer came for the part from \(from) to \(until) (\(failed.reason)): it may have been journaled; nothing after it was asked for\(before)
                ask for it again with its Idempotency-Key, which is safe: the same command with --since \(from) --until \(until) --run-id \(runId ?? "?") \
                (through the API: if Hooklog is down, start it first); \
                then go on with --since \(until). Without the key it could re-send the part's deliveries twice (with --status failed, the default, only those that failed again)

                """.utf8))
            return ExitCode(2)
        }
    }
}
