import Dispatch
import Foundation
import HooklogCore
import Synchronization

/// The outcome of walking the hash chain.
public struct ChainVerification: Sendable, Equatable {
    /// How many entries were found intact, from sequence 1.
    public let intactCount: UInt64
    /// The last intact entry: the proven head when the chain is whole.
    public let intactHead: ChainHead
    /// The first entry that is wrong, missing or unreadable; `nil` when the chain is whole.
    public let firstBreak: ChainBreak?

    /// Whether every entry is present and its hash is right.
    public var isIntact: Bool { self.firstBreak == nil }
}

/// Where and why the chain breaks.
public struct ChainBreak: Sendable, Equatable, CustomStringConvertible {
    /// The first sequence that fails.
    public let sequence: UInt64
    /// What is wrong there.
    public let reason: String

    public var description: String { "sequence \(self.sequence): \(self.reason)" }
}

/// Walks the log from sequence 1 and checks every entry's chain hash and that no sequence is missing.
///
/// Each link is checked against its predecessor's *stored* hash, so the links of a long log are
/// checked in segments, one per processor, at once: every link holding is exactly the chain
/// holding, and the first broken link is the same as a walk from the start would find.
public struct ChainVerifier: Sendable {
    let reader: LogReader
    /// How many threads walk a long log.
    private let segmentCount: Int
    /// Logs shorter than this are walked by one thread.
    private let segmentedFromCount: UInt64

    /// A verifier of the log that `reader` reads, walking a log of 131,072 entries or more with
    /// one thread per processor (at most 8).
    public init(reader: LogReader) {
        self.init(reader: reader, segmentCount: min(max(ProcessInfo.processInfo.activeProcessorCount, 1), 8), segmentedFromCount: 131_072)
    }

    /// A verifier walking a log of `segmentedFromCount` entries or more in `segmentCount` segments.
    package init(reader: LogReader, segmentCount: Int, segmentedFromCount: UInt64) {
        precondition(segmentCount > 0, "one segment at least")
        self.reader = reader
        self.segmentCount = segmentCount
        self.segmentedFromCount = segmentedFromCount
    }

    /// Verifies the chain up to the end of the log as it is when the call starts. `progress` is told how
    /// many entries are verified, about every `progressInterval` entries, from any thread.
    public func verify(
        progressInterval: UInt64 = 65_536,
        progress: @Sendable (UInt64) -> Void = { _ in }
    ) throws -> ChainVerification {
        let end = try self.reader.extent().lastSequenceToWalk
        guard end > 0 else { return ChainVerification(intactCount: 0, intactHead: .empty, firstBreak: nil) }
        let segmentCount = end < self.segmentedFromCount ? 1 : UInt64(self.segmentCount)
        // Rounded up without overflowing, whatever number a damaged last key names.
        let segmentLength = end / segmentCount + (end % segmentCount == 0 ? 0 : 1)
        let outcome = SegmentOutcomes()
        DispatchQueue.concurrentPerform(iterations: Int(segmentCount)) { index in
            let first = UInt64(index) * segmentLength + 1
            guard first <= end else { return }
            let last = end - first < segmentLength ? end : first + segmentLength - 1
            do {
                let failure = try self.firstBreak(in: first...last, progressInterval: progressInterval) { count in
                    progress(outcome.addVerified(count))
                }
                outcome.record(failure, segment: index)
            } catch {
                outcome.record(error, segment: index)
            }
        }
        let failure = try outcome.firstBreak()
        let intactCount = failure.map { $0.sequence - 1 } ?? end
        let intactHead = try intactCount > 0 ? self.reader.entry(at: intactCount).map {
            ChainHead(sequence: $0.sequence, chainHash: $0.chainHash, appendedAtMs: $0.appendedAtMs)
        } ?? .empty : .empty
        return ChainVerification(intactCount: intactCount, intactHead: intactHead, firstBreak: failure)
    }

    /// The first broken link among the entries of `range`; `nil` when all hold. `verified` hears
    /// how many more entries were verified, every `progressInterval`.
    private func firstBreak(in range: ClosedRange<UInt64>, progressInterval: UInt64, verified: (UInt64) -> Void) throws -> ChainBreak? {
        let hasher = SHA256Hasher()
        var previous = SHA256Digest.zero
        if range.lowerBound > 1 {
            // A missing or unreadable predecessor is the previous segment's break, which comes first.
            do {
                guard let entry = try self.reader.entry(at: range.lowerBound - 1) else {
                    return ChainBreak(sequence: range.lowerBound - 1, reason: self.missingReason(range.lowerBound - 1))
                }
                previous = entry.chainHash
            } catch let error as LogFormatError {
                return ChainBreak(sequence: range.lowerBound - 1, reason: error.reason)
            }
        }
        var expected = range.lowerBound
        var failure: ChainBreak?
        var sinceReport: UInt64 = 0
        do {
            try self.reader.scan(from: range.lowerBound, through: range.upperBound) { view in
                guard view.sequence == expected else {
                    // A key smaller than the one before it is out of place: damaged, most likely.
                    let reason = view.sequence < expected
                        ? "missing: an entry keyed \(view.sequence) is found where it should be"
                        : "missing: the next entry found is \(view.sequence)"
                    failure = ChainBreak(sequence: expected, reason: reason)
                    return false
                }
                let stored = view.chainHash
                guard view.expectedChainHash(after: previous, using: hasher) == stored else {
                    failure = ChainBreak(sequence: view.sequence, reason: "chain hash does not match the entry's bytes")
                    return false
                }
                previous = stored
                expected += 1
                sinceReport += 1
                if sinceReport == progressInterval {
                    verified(sinceReport)
                    sinceReport = 0
                }
                return true
            }
        } catch let error as LogFormatError {
            // An unreadable entry after a gap: the gap comes first.
            failure = error.sequence > expected
                ? ChainBreak(sequence: expected, reason: "missing: the next entry found, \(error.sequence), cannot be read either (\(error.reason))")
                : ChainBreak(sequence: error.sequence == 0 ? expected : error.sequence, reason: error.reason)
        }
        if failure == nil && expected <= range.upperBound {
            // The segment ended short: of the log, or of the entries before the next segment.
            failure = ChainBreak(sequence: expected, reason: self.missingReason(expected))
        }
        verified(sinceReport)
        return failure
    }

    /// Why `sequence` is missing, as a walk from the start would say: the next entry it finds,
    /// or the end of the log. (Told the same by the two segments around it.)
    private func missingReason(_ sequence: UInt64) -> String {
        var next: UInt64?
        do {
            try self.reader.scan(from: sequence) { view in
                next = view.sequence
                return false
            }
        } catch let error as LogFormatError where error.sequence > sequence {
            return "missing: the next entry found, \(error.sequence), cannot be read either (\(error.reason))"
        } catch {
            return "missing"
        }
        return next.map { "missing: the next entry found is \($0)" } ?? "missing: the log ends before it"
    }
}

/// What the segments of one verification found: the earliest break, the earliest segment's
/// error, and a running count of verified entries.
private final class SegmentOutcomes: Sendable {
    private struct State {
        var firstBreak: ChainBreak?
        /// The segment that found `firstBreak`.
        var firstBreakSegment = Int.max
        var error: (any Error)?
        /// The segment that failed with `error`.
        var errorSegment = Int.max
        var verifiedCount: UInt64 = 0
    }

    private let state = Mutex(State())

    /// Adds `count` verified entries; returns the total so far.
    func addVerified(_ count: UInt64) -> UInt64 {
        self.state.withLock { state in
            state.verifiedCount += count
            return state.verifiedCount
        }
    }

    /// Keeps `failure`, found by segment `segment`, if it is the earliest yet. Of two segments
    /// naming one sequence (the edge between them), the earlier one's reason stands: it walked
    /// up to the sequence, as one walk from the start would.
    func record(_ failure: ChainBreak?, segment: Int) {
        guard let failure else { return }
        self.state.withLock { state in
            let isEarlier = state.firstBreak.map { (failure.sequence, segment) < ($0.sequence, state.firstBreakSegment) } ?? true
            if isEarlier {
                state.firstBreak = failure
                state.firstBreakSegment = segment
            }
        }
    }

    /// Keeps `error`, met by segment `segment`, if no earlier segment met one.
    func record(_ error: any Error, segment: Int) {
        self.state.withLock { state in
            if segment < state.errorSegment {
                state.error = error
                state.errorSegment = segment
            }
        }
    }

    /// The earliest break; throws the error a walk from the start would meet first: one met in
    /// a segment before the break's (a segment stops at its first break or error, so one
    /// segment never has both).
    func firstBreak() throws -> ChainBreak? {
        let (failure, error) = self.state.withLock { state in
            (state.firstBreak, state.errorSegment < state.firstBreakSegment ? state.error : nil)
        }
        if let error { throw error }
        return failure
    }
}
