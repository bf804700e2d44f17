import ArgumentParser
import HooklogCore
import HooklogJournal

/// `--head sequence:hash` of `hooklog verify`: a head noted down from an earlier `verify` (its
/// last line gives it so) or from an export's manifest (`head_sequence`, `chain_head`).
struct KeptHeadArgument: ExpressibleByArgument, Sendable {
    let head: KeptHead

    init?(argument: String) {
        let parts = argument.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let sequence = UInt64(parts[0]), parts[1].count == 2 * SHA256Digest.byteCount,
            let chainHash = SHA256Digest(hex: String(parts[1])),
            // Nothing comes before sequence 1: its "head" is the zero hash, or nothing at all.
            sequence > 0 || chainHash == .zero
        else { return nil }
        self.head = KeptHead(sequence: sequence, chainHash: chainHash)
    }
}
