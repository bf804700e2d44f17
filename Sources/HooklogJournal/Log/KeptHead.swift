public import HooklogCore

/// A chain head noted down away from the log (the head `verify` printed, an export's manifest),
/// held against the log as it is now.
///
/// A walk of the chain alone shows damage, but not a log cut short (restored from an older copy)
/// or rewritten with every later hash computed again: the chain is unkeyed. An entry's chain
/// hash covers it and every entry before it, so a head kept from earlier that the log still
/// holds, at its sequence, proves the log up to there is the one it was taken from.
public struct KeptHead: Sendable, Equatable, CustomStringConvertible {
    /// The sequence of the entry it was taken at; 0 for a log (or export window) with no entries.
    public let sequence: UInt64
    /// That entry's chain hash; `SHA256Digest.zero` at sequence 0.
    public let chainHash: SHA256Digest

    public init(sequence: UInt64, chainHash: SHA256Digest) {
        self.sequence = sequence
        self.chainHash = chainHash
    }

    /// A head from its sequence and its hash in hex (64 digits); `nil` when the hex is not a
    /// hash, or names one at sequence 0, before which nothing comes (its head is the zero hash).
    public init?(sequence: UInt64, hex: some StringProtocol) {
        guard hex.utf8.count == 2 * SHA256Digest.byteCount, let chainHash = SHA256Digest(hex: String(hex)),
            sequence > 0 || chainHash == .zero
        else { return nil }
        self.init(sequence: sequence, chainHash: chainHash)
    }

    /// As `verify` prints a head and `--head` takes it: `sequence:hash`.
    public var description: String { "\(self.sequence):\(self.chainHash)" }
}

/// What a verified chain says of a kept head.
public enum KeptHeadFinding: Sendable, Equatable {
    /// The log holds the kept hash at its sequence.
    case held
    /// The log is whole but ends before the head's sequence, at `logEndsAt`: later records were
    /// cut off, or it is another log.
    case beyondTheLog(logEndsAt: UInt64)
    /// The log holds another hash at the head's sequence: it was rewritten at or before it, or
    /// it is another log.
    case differs(found: SHA256Digest)
    /// The chain breaks at `breakSequence`, at or before the head: nothing after the break is
    /// vouched for, so the head is not judged.
    case afterTheBreak(breakSequence: UInt64)

    /// Whether the head shows the log as it was taken.
    public var isHeld: Bool { self == .held }
}

extension ChainVerification {
    /// How `kept` stands against this verification of the log `reader` reads. Entries up to the
    /// verified head never change in a whole log, so the hash read now is the one the walk proved.
    public func finding(for kept: KeptHead, in reader: LogReader) throws -> KeptHeadFinding {
        if let failure = self.firstBreak, failure.sequence <= kept.sequence {
            return .afterTheBreak(breakSequence: failure.sequence)
        }
        guard kept.sequence > 0 else { return kept.chainHash == .zero ? .held : .differs(found: .zero) }
        guard kept.sequence <= self.intactHead.sequence, let entry = try reader.entry(at: kept.sequence) else {
            return .beyondTheLog(logEndsAt: self.intactHead.sequence)
        }
        return entry.chainHash == kept.chainHash ? .held : .differs(found: entry.chainHash)
    }
}
