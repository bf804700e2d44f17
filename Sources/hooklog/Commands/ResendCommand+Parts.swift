import HooklogCore
import HooklogJournal

/// What one replay request of a resend made of its part of the window.
enum ResendPart {
    case answered(ResendAnswer)
    /// Too large for one request; `reason` says by what limit.
    case tooLarge(reason: String)
}

/// One replay request's answer (or several added up), as a resend prints it.
struct ResendAnswer {
    var replays: [(id: String, tenantId: String, matched: Int)] = []
    var matched = 0
    var unfinishedCount = 0
    var endpointDisabledCount = 0

    mutating func add(_ other: ResendAnswer) {
        self.replays += other.replays
        self.matched += other.matched
        self.unfinishedCount += other.unfinishedCount
        self.endpointDisabledCount += other.endpointDisabledCount
    }
}

extension ResendAnswer {
    /// The answer of a replay journaled here.
    init(_ requested: RequestedReplays) {
        self.replays = requested.replays.map { ($0.replayId.description, $0.tenantId.description, $0.matched) }
        self.matched = requested.matched
        self.unfinishedCount = requested.skipped.unfinishedCount
        self.endpointDisabledCount = requested.skipped.endpointDisabledCount
    }
}

extension ResendCommand {
    /// Asks `ask` for the replay of `criteria`'s window, in as many parts as it takes
    /// (`ReplayInParts`), printing each replay as it is made, then what was re-sent in all and
    /// when it goes out (`sending`). A part that fails stops the resend, saying from where to go on.
    static func resendInParts(_ criteria: ReplayCriteria, sending: String, _ ask: (ReplayCriteria) async throws -> ResendPart) async throws {
        var total = ResendAnswer()
        let parts: [Range<UInt64>]
        do {
            parts = try await ReplayInParts.request(criteria) { part in
                switch try await ask(part) {
                case .tooLarge(let reason):
                    return .tooLarge(reason: reason)
                case .answered(let answer):
                    for replay in answer.replays {
                        print("replay \(replay.id) of tenant \(replay.tenantId): \(replay.matched) deliveries scheduled")
                    }
                    total.add(answer)
                    return .taken
                }
            }
        } catch {
            guard error.sinceMs != criteria.sinceMs else { throw CommandFailure("cannot resend: \(error.reason)") }
            let resumeAt = Self.rfc3339(error.sinceMs)
            throw CommandFailure("""
                cannot resend the window from \(resumeAt) on: \(error.reason)
                the window before it was re-sent (\(total.matched) deliveries): to go on, run again with --since \(resumeAt)
                """)
        }
        if parts.count > 1 {
            print("the window holds more than one replay may re-send: asked for in \(parts.count) parts")
        }
        print("\(total.matched) deliveries \(sending)")
        print(Self.skippedLine(unfinished: total.unfinishedCount, endpointDisabled: total.endpointDisabledCount))
    }
}
