import HooklogCore

/// What must hold of any projections the reducer builds from a correct log; returns the violations.
enum ProjectionInvariants {
    static func violations(in projections: MemoryProjections) -> [String] {
        var problems: [String] = []
        var waitingCount = 0
        var inFlightCount = 0
        var replayed: [ReplayID: UInt64] = [:]
        for (key, value) in projections.entries(in: .deliveries) {
            guard let id = DeliveryID(bytes: key), let delivery = try? DeliveryState(decoding: value) else {
                problems.append("undecodable delivery \(key)")
                continue
            }
            if delivery.status.isWaiting {
                waitingCount += 1
                if let dueAtMs = delivery.nextAttemptAtMs {
                    let target = TargetKey(delivery.target, of: delivery.tenantId)
                    if projections.value(in: .due, forKey: ProjectionKeys.due(DueLane(replayId: delivery.replayId), dueAtMs: dueAtMs, deliveryId: id)) != target.bytes {
                        problems.append("\(id) is \(delivery.status.name) but not in its lane of due at \(dueAtMs) with its target")
                    }
                    if projections.value(in: .targetDue, forKey: ProjectionKeys.targetDue(target, DueLane(replayId: delivery.replayId), dueAtMs: dueAtMs, deliveryId: id)) == nil {
                        problems.append("\(id) is \(delivery.status.name) but not in its lane of targetDue at \(dueAtMs)")
                    }
                } else {
                    problems.append("\(id) is \(delivery.status.name) without nextAttemptAtMs")
                }
            } else if delivery.nextAttemptAtMs != nil {
                problems.append("\(id) is \(delivery.status.name) with nextAttemptAtMs")
            }
            let inFlightEntry = projections.value(in: .inFlight, forKey: ProjectionKeys.inFlight(id)) != nil
            if delivery.status == .inFlight {
                inFlightCount += 1
                if !inFlightEntry { problems.append("\(id) is in flight but not in inFlight") }
            } else if inFlightEntry {
                problems.append("\(id) is \(delivery.status.name) but in inFlight")
            }
            if delivery.status.isFinished != (delivery.finishedAtMs != nil) {
                problems.append("\(id) is \(delivery.status.name) with finishedAtMs \(String(describing: delivery.finishedAtMs))")
            }
            if delivery.attempts.enumerated().contains(where: { UInt32($0.offset + 1) != $0.element.number }) {
                problems.append("\(id) has attempts numbered \(delivery.attempts.map(\.number))")
            }
            if delivery.attempts.dropLast().contains(where: { !$0.isFinished }) {
                problems.append("\(id) has an unfinished attempt before its last")
            }
            if let replayId = delivery.replayId {
                replayed[replayId, default: 0] += 1
            }
            if projections.value(in: .tenantDeliveries, forKey: ProjectionKeys.tenantDelivery(tenantId: delivery.tenantId, plannedAtMs: delivery.plannedAtMs, plannedSequence: delivery.plannedSequence, deliveryId: id)) == nil {
                problems.append("\(id) missing from tenantDeliveries")
            }
        }
        if projections.count(in: .due) != waitingCount { problems.append("due holds \(projections.count(in: .due)) for \(waitingCount) waiting") }
        if projections.count(in: .targetDue) != waitingCount { problems.append("targetDue holds \(projections.count(in: .targetDue)) for \(waitingCount) waiting") }
        if projections.count(in: .inFlight) != inFlightCount { problems.append("inFlight holds \(projections.count(in: .inFlight)) for \(inFlightCount)") }
        if projections.count(in: .tenantDeliveries) != projections.count(in: .deliveries) { problems.append("tenantDeliveries count differs") }
        if projections.count(in: .eventDeliveries) != projections.count(in: .deliveries) { problems.append("eventDeliveries count differs") }
        if projections.count(in: .eventTimes) != projections.count(in: .events) { problems.append("eventTimes count differs") }
        if projections.count(in: .tenantEndpoints) != projections.count(in: .endpoints) { problems.append("tenantEndpoints count differs") }
        if projections.count(in: .apiKeys) != projections.count(in: .tenants) { problems.append("apiKeys count differs") }
        for (key, _) in projections.entries(in: .tenantEndpoints) {
            guard let endpointId = ProjectionKeys.trailingID(of: key, as: EndpointID.self),
                let bytes = projections.value(in: .endpoints, forKey: ProjectionKeys.endpoint(endpointId)),
                let endpoint = try? EndpointState(decoding: bytes),
                endpoint.tenantId.bytes == Array(key.prefix(16))
            else {
                problems.append("tenantEndpoints entry without its endpoint")
                continue
            }
        }
        var runningCount = 0
        for (key, value) in projections.entries(in: .invocations) {
            guard let id = InvocationID(bytes: key), let invocation = try? InvocationState(decoding: value) else {
                problems.append("undecodable invocation")
                continue
            }
            let isListedRunning = projections.value(in: .runningInvocations, forKey: ProjectionKeys.runningInvocation(id)) != nil
            if invocation.result == nil { runningCount += 1 }
            if isListedRunning != (invocation.result == nil) {
                problems.append("invocation \(id) has \(invocation.result == nil ? "no result" : "a result") but is \(isListedRunning ? "" : "not ")in runningInvocations")
            }
        }
        if projections.count(in: .runningInvocations) != runningCount { problems.append("runningInvocations holds \(projections.count(in: .runningInvocations)) for \(runningCount)") }
        for (key, value) in projections.entries(in: .replays) {
            guard let id = ReplayID(bytes: key), let replay = try? ReplayState(decoding: value) else {
                problems.append("undecodable replay")
                continue
            }
            if replay.remainingCount != replayed[id, default: 0] {
                problems.append("replay \(id) has \(replay.remainingCount) remaining but \(replayed[id, default: 0]) deliveries carry it")
            }
        }
        return problems
    }
}
