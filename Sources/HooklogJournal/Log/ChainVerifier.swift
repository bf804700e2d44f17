import HooklogCore

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
public struct ChainVerifier: Sendable {
    let reader: LogReader

    /// A verifier of the log that `reader` reads.
    public init(reader: LogReader) {
        self.reader = reader
    }

    /// Verifies the whole chain. `progress` is told the sequence reached, every `progressInterval` entries.
    public func verify(
        progressInterval: UInt64 = 65_536,
        progress: (UInt64) -> Void = { _ in }
    ) throws -> ChainVerification {
        let hasher = SHA256Hasher()
        var head = ChainHead.empty
        var failure: ChainBreak?
        do {
            try self.reader.scan(from: 1) { view in
                let expected = head.sequence + 1
                guard view.sequence == expected else {
                    failure = ChainBreak(sequence: expected, reason: "missing: the next entry found is \(view.sequence)")
                    return false
                }
                let stored = view.chainHash
                guard view.expectedChainHash(after: head.chainHash, using: hasher) == stored else {
                    failure = ChainBreak(sequence: view.sequence, reason: "chain hash does not match the entry's bytes")
                    return false
                }
                head = ChainHead(sequence: view.sequence, chainHash: stored, appendedAtMs: view.appendedAtMs)
                if view.sequence % progressInterval == 0 { progress(view.sequence) }
                return true
            }
        } catch let error as LogFormatError {
            failure = ChainBreak(sequence: error.sequence == 0 ? head.sequence + 1 : error.sequence, reason: error.reason)
        }
        return ChainVerification(intactCount: head.sequence, intactHead: head, firstBreak: failure)
    }
}
