import HooklogCore
import HooklogJournal

/// An event's or a delivery's full story: the event, its deliveries as they stand, and every
/// record about them in log order.
struct InspectedStory {
    /// One record of the story, where the log holds it.
    struct Entry {
        let sequence: UInt64
        let appendedAtMs: UInt64
        let record: Record
    }

    /// One delivery as the projections keep it.
    struct Delivery {
        let id: DeliveryID
        let state: DeliveryState
    }

    /// The event.
    let eventId: EventID
    /// Its `EventReceived` record.
    let event: EventReceived
    /// Its deliveries (the one asked for, or all of the event's).
    let deliveries: [Delivery]
    /// The event's record and every record about those deliveries, in log order.
    let entries: [Entry]

    /// Every attempt of each delivery, oldest first, as the records tell them (one pass): the
    /// projections keep only a delivery's latest attempts (`DeliveryState.earlierAttemptsKept`).
    func attemptsByDelivery() -> [DeliveryID: [AttemptSummary]] {
        var attempts: [DeliveryID: [AttemptSummary]] = [:]
        for entry in self.entries {
            switch entry.record {
            case .attemptStarted(let started):
                attempts[started.deliveryId, default: []].append(
                    AttemptSummary(number: started.attemptNumber, startedAtMs: started.startedAtMs, startedSequence: entry.sequence, replayId: started.replayId)
                )
            case .attemptFinished(let finished):
                guard let index = attempts[finished.deliveryId]?.lastIndex(where: { $0.number == finished.attemptNumber }) else { continue }
                attempts[finished.deliveryId]![index].finishedAtMs = finished.finishedAtMs
                attempts[finished.deliveryId]![index].statusCode = finished.statusCode
                attempts[finished.deliveryId]![index].errorKind = finished.errorKind
                attempts[finished.deliveryId]![index].latencyMs = finished.latencyMs
                attempts[finished.deliveryId]![index].finishedSequence = entry.sequence
            default:
                continue
            }
        }
        return attempts
    }

    /// The story of `id` (`evt_…` or `dlv_…`) in a store's environment. The log is scanned from
    /// the event's record to the head, decoding only the records about the wanted deliveries.
    static func load(_ id: String, from environment: LMDBEnvironment) throws -> InspectedStory {
        let databases = ProjectionDatabases(environment: environment)
        let reader = LogReader(environment: environment)
        // The records are read up to the head of the snapshot the deliveries' states come from,
        // so that the two agree while a server appends; and that snapshot's projections are
        // checked, so that a rebuild starting meanwhile cannot show them half-emptied.
        let (eventId, eventSequence, deliveries, headSequence) = try environment.read { transaction in
            try DataDirectoryOptions.requireUsableProjections(in: transaction, of: environment)
            let (eventId, eventSequence, deliveries) = try Self.find(id, in: TransactionProjections(transaction: transaction, databases: databases))
            return (eventId, eventSequence, deliveries, try reader.head(in: transaction).sequence)
        }
        let wanted = Set(deliveries.map(\.id))
        var entries: [Entry] = []
        var received: EventReceived?
        // An old event's story is read up to the head: on a long log that takes a while.
        let progress = ProgressBar("inspect", totalCount: headSequence >= eventSequence ? headSequence - eventSequence + 1 : 0)
        defer { progress.finish() }
        // Each entry read is checked against the one before it, as an export's are: a story is
        // never told from bytes changed since they were appended.
        var previousChainHash = SHA256Digest.zero
        if eventSequence > 1 {
            guard let previous = try reader.entry(at: eventSequence - 1) else {
                throw CommandFailure("log entry \(eventSequence - 1) is missing: the log is damaged, and hooklog verify says where")
            }
            previousChainHash = previous.chainHash
        }
        let hasher = SHA256Hasher()
        try reader.scan(from: eventSequence, through: headSequence) { view in
            if view.sequence & 0xFFF == 0 { progress.update(view.sequence - eventSequence) }
            try view.requireLinked(after: previousChainHash, using: hasher)
            previousChainHash = view.chainHash
            if view.sequence == eventSequence {
                let record = try Record(decoding: view.payload)
                if case .eventReceived(let event) = record { received = event }
                entries.append(Entry(sequence: view.sequence, appendedAtMs: view.appendedAtMs, record: record))
            } else if let deliveryId = Record.deliveryId(inEncoded: view.payload), wanted.contains(deliveryId) {
                entries.append(Entry(sequence: view.sequence, appendedAtMs: view.appendedAtMs, record: try Record(decoding: view.payload)))
            }
            return true
        }
        guard let event = received else { throw CommandFailure("the log holds no event_received for \(eventId) at sequence \(eventSequence)") }
        return InspectedStory(eventId: eventId, event: event, deliveries: deliveries, entries: entries)
    }

    private static func find(_ id: String, in projections: TransactionProjections<ReadTransaction>) throws -> (EventID, UInt64, [Delivery]) {
        if let deliveryId = DeliveryID.parse(id) {
            guard let delivery = try projections.delivery(deliveryId) else { throw CommandFailure("no delivery \(id)") }
            guard let event = try projections.event(delivery.eventId) else { throw CommandFailure("no event \(delivery.eventId) of delivery \(id)") }
            return (delivery.eventId, event.sequence, [Delivery(id: deliveryId, state: delivery)])
        }
        guard let eventId = EventID.parse(id) else {
            // One with the right prefix is mistyped or cut short, not of another kind.
            if id.hasPrefix("evt_") || id.hasPrefix("dlv_") {
                throw CommandFailure("\(id) is not an id as Hooklog gives them: its prefix and 26 lower-case characters of Crockford base32 (copy it whole)")
            }
            throw CommandFailure("\(id) is neither an event id (evt_…) nor a delivery id (dlv_…)")
        }
        guard let event = try projections.event(eventId) else { throw CommandFailure("no event \(id)") }
        let prefix = ProjectionKeys.event(eventId)
        var deliveries: [Delivery] = []
        try projections.scan(.eventDeliveries, from: prefix) { key, _ in
            guard key.starts(with: prefix) else { return false }
            if let deliveryId = DeliveryID(bytes: key[(key.count - DeliveryID.byteCount)...]), let state = try projections.delivery(deliveryId) {
                deliveries.append(Delivery(id: deliveryId, state: state))
            }
            return true
        }
        return (eventId, event.sequence, deliveries)
    }
}
