public import HooklogCore

/// How an entry is laid out in the `log` database.
///
/// Key: the sequence, 8 bytes big-endian, so that keys sort in log order and `MDB_APPEND` applies.
/// Value: `version (1) ‖ appendedAtMs (8, big-endian) ‖ chainHash (32) ‖ payload`.
/// The chain hash covers `previous hash ‖ sequence ‖ version ‖ appendedAtMs ‖ payload`, so a
/// changed byte anywhere in an entry, a changed key, or a removed entry breaks the chain.
public enum LogEntryLayout {
    /// The layout version written by this build.
    public static let currentVersion: UInt8 = 1
    /// Bytes before the payload.
    public static let headerByteCount = 1 + 8 + SHA256Digest.byteCount
    /// The hashed part of the header: version and time.
    static let hashedHeaderByteCount = 1 + 8
    static let chainHashOffset = hashedHeaderByteCount

    /// The key of `sequence`.
    public static func key(_ sequence: UInt64) -> [UInt8] {
        withUnsafeBytes(of: sequence.bigEndian) { Array($0) }
    }

    /// The sequence in a key, or `nil` when the key is not 8 bytes.
    public static func sequence(fromKey key: UnsafeRawBufferPointer) -> UInt64? {
        guard key.count == 8 else { return nil }
        return UInt64(bigEndian: key.loadUnaligned(as: UInt64.self))
    }

    /// The chain hash of an entry, given its predecessor's.
    static func chainHash(
        previous: SHA256Digest,
        sequence: UInt64,
        hashedHeader: UnsafeRawBufferPointer,
        payload: UnsafeRawBufferPointer,
        using hasher: SHA256Hasher
    ) -> SHA256Digest {
        // previous ‖ sequence ‖ hashed header gathered on the stack: one small update, not three.
        var prefix: (SHA256Digest, UInt64, UInt64, UInt8) = (previous, sequence.bigEndian, 0, 0)
        withUnsafeMutableBytes(of: &prefix) { bytes in
            let headerOffset = SHA256Digest.byteCount + 8
            UnsafeMutableRawBufferPointer(rebasing: bytes[headerOffset..<(headerOffset + hashedHeader.count)]).copyMemory(from: hashedHeader)
            hasher.update(UnsafeRawBufferPointer(rebasing: bytes[0..<(headerOffset + hashedHeader.count)]))
        }
        hasher.update(payload)
        return hasher.finalize()
    }

    /// The stored value of an entry read earlier (its header and payload, as in the database).
    static func storedBytes(of entry: LogEntry) -> [UInt8] {
        var stored = [UInt8](repeating: 0, count: headerByteCount + entry.payload.count)
        stored.withUnsafeMutableBytes { destination in
            self.storeHashedHeader(appendedAtMs: entry.appendedAtMs, into: destination)
            self.store(entry.chainHash, into: destination)
            entry.payload.withUnsafeBytes { payload in
                if payload.count > 0 {
                    UnsafeMutableRawBufferPointer(rebasing: destination[headerByteCount...]).copyMemory(from: payload)
                }
            }
        }
        return stored
    }

    /// Writes an entry (header and payload) into `destination`, which holds exactly
    /// `headerByteCount + payload.count` bytes, and returns its chain hash.
    static func write(
        sequence: UInt64,
        appendedAtMs: UInt64,
        payload: UnsafeRawBufferPointer,
        previous: SHA256Digest,
        into destination: UnsafeMutableRawBufferPointer,
        using hasher: SHA256Hasher
    ) -> SHA256Digest {
        precondition(destination.count == headerByteCount + payload.count, "entry buffer has the wrong size")
        self.storeHashedHeader(appendedAtMs: appendedAtMs, into: destination)
        let payloadDestination = UnsafeMutableRawBufferPointer(rebasing: destination[headerByteCount...])
        if payload.count > 0 {
            payloadDestination.copyMemory(from: payload)
        }
        let chainHash = Self.chainHash(
            previous: previous,
            sequence: sequence,
            hashedHeader: UnsafeRawBufferPointer(rebasing: destination[0..<hashedHeaderByteCount]),
            payload: UnsafeRawBufferPointer(payloadDestination),
            using: hasher
        )
        self.store(chainHash, into: destination)
        return chainHash
    }

    /// Writes the version and the time: the part of the header that the chain hash covers.
    private static func storeHashedHeader(appendedAtMs: UInt64, into destination: UnsafeMutableRawBufferPointer) {
        destination[0] = currentVersion
        destination.storeBytes(of: appendedAtMs.bigEndian, toByteOffset: 1, as: UInt64.self)
    }

    private static func store(_ chainHash: SHA256Digest, into destination: UnsafeMutableRawBufferPointer) {
        chainHash.withUnsafeBytes { hash in
            UnsafeMutableRawBufferPointer(rebasing: destination[chainHashOffset..<headerByteCount]).copyMemory(from: hash)
        }
    }
}

/// An entry read in place from the memory map; valid only while its transaction is open.
public struct LogEntryView {
    /// The position in the log.
    public let sequence: UInt64
    /// The stored value: header and payload.
    public let storedBytes: UnsafeRawBufferPointer

    /// Reads the view of a stored entry, checking that the header is whole and known.
    public init(sequence: UInt64, storedBytes: UnsafeRawBufferPointer) throws(LogFormatError) {
        guard storedBytes.count >= LogEntryLayout.headerByteCount else {
            throw LogFormatError(sequence: sequence, reason: "entry is \(storedBytes.count) bytes, shorter than its header (damaged)")
        }
        guard storedBytes[0] == LogEntryLayout.currentVersion else {
            // A newer build's entry, or a damaged one: only the chain tells them apart (verify
            // prints this reason too, so it names no tool).
            throw LogFormatError(sequence: sequence, reason: "unknown entry layout version \(storedBytes[0]) (a newer build's entry, or a damaged one)")
        }
        self.sequence = sequence
        self.storedBytes = storedBytes
    }

    /// The layout version byte.
    public var version: UInt8 { self.storedBytes[0] }

    /// When it was appended.
    public var appendedAtMs: UInt64 {
        UInt64(bigEndian: self.storedBytes.loadUnaligned(fromByteOffset: 1, as: UInt64.self))
    }

    /// The chain hash stored with it.
    public var chainHash: SHA256Digest {
        SHA256Digest(copying: UnsafeRawBufferPointer(rebasing: self.storedBytes[LogEntryLayout.chainHashOffset...]))
    }

    /// The record's bytes.
    public var payload: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: self.storedBytes[LogEntryLayout.headerByteCount...])
    }

    /// The part of the header that the chain hash covers.
    var hashedHeader: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: self.storedBytes[0..<LogEntryLayout.hashedHeaderByteCount])
    }

    /// The chain hash this entry should have after `previous`.
    public func expectedChainHash(after previous: SHA256Digest, using hasher: SHA256Hasher) -> SHA256Digest {
        LogEntryLayout.chainHash(
            previous: previous,
            sequence: self.sequence,
            hashedHeader: self.hashedHeader,
            payload: self.payload,
            using: hasher
        )
    }

    /// Throws unless the entry's bytes still give its stored chain hash after `previous` (the
    /// stored hash of the entry before it): what a reader that shows or sends the entry checks
    /// first, so that bytes changed since they were appended are never taken for the record.
    public func requireLinked(after previous: SHA256Digest, using hasher: SHA256Hasher) throws(LogFormatError) {
        guard self.expectedChainHash(after: previous, using: hasher) == self.chainHash else {
            throw LogFormatError(
                sequence: self.sequence,
                reason: "its bytes no longer match its chain hash (changed since it was appended): " + LogFormatError.damagedLogHint
            )
        }
    }

    /// A copy that outlives the transaction.
    public func copy() -> LogEntry {
        LogEntry(sequence: self.sequence, appendedAtMs: self.appendedAtMs, chainHash: self.chainHash, payload: Array(self.payload))
    }
}

/// An entry that cannot be read as this build lays entries out.
public struct LogFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The entry's sequence.
    public let sequence: UInt64
    /// What is wrong with it.
    public let reason: String

    public var description: String { "log entry \(self.sequence): \(self.reason)" }

    /// What a walk of the log says of damage it meets, pointing where to look further.
    static let damagedLogHint = "the log is damaged, and `hooklog verify` says where"

    /// Entry `sequence` is not where a walk expects it: the next entry found is keyed `found`.
    static func missing(_ sequence: UInt64, nextFound found: UInt64) -> LogFormatError {
        LogFormatError(sequence: sequence, reason: "missing (the next entry is \(found)): " + Self.damagedLogHint)
    }
}
