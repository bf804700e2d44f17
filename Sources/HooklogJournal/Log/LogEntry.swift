public import HooklogCore

/// One record of the log as stored: its sequence, when it was appended, its chain hash and the
/// record's bytes (opaque to the journal).
public struct LogEntry: Sendable, Equatable {
    /// The position in the log, from 1, without gaps.
    public let sequence: UInt64
    /// Milliseconds since 1970 when the batch holding it was appended; never decreases.
    public let appendedAtMs: UInt64
    /// `SHA-256(previous chain hash ‖ sequence ‖ header ‖ payload)`.
    public let chainHash: SHA256Digest
    /// The record's bytes, verbatim.
    public let payload: [UInt8]

    /// An entry as read back from the log.
    public init(sequence: UInt64, appendedAtMs: UInt64, chainHash: SHA256Digest, payload: [UInt8]) {
        self.sequence = sequence
        self.appendedAtMs = appendedAtMs
        self.chainHash = chainHash
        self.payload = payload
    }
}

/// The newest entry of the log: what proves everything before it.
public struct ChainHead: Sendable, Equatable {
    /// The sequence of the newest entry; 0 for an empty log.
    public let sequence: UInt64
    /// Its chain hash; `SHA256Digest.zero` for an empty log.
    public let chainHash: SHA256Digest
    /// When it was appended; 0 for an empty log.
    public let appendedAtMs: UInt64

    /// The head of a log with no entries.
    public static let empty = ChainHead(sequence: 0, chainHash: .zero, appendedAtMs: 0)

    public init(sequence: UInt64, chainHash: SHA256Digest, appendedAtMs: UInt64) {
        self.sequence = sequence
        self.chainHash = chainHash
        self.appendedAtMs = appendedAtMs
    }
}
