import ArgumentParser
import HooklogCore
import HooklogJournal

/// `--head sequence:hash` of `hooklog verify`: a head noted down from an earlier `verify`
/// (`head: sequence 2000, hash e1cb…` is `2000:e1cb…`) or from an export's manifest.
struct KeptHeadArgument: ExpressibleByArgument, Sendable {
    let head: KeptHead

    init?(argument: String) {
        let parts = argument.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let sequence = UInt64(parts[0]), parts[1].count == 2 * SHA256Digest.byteCount,
            let chainHash = SHA256Digest(hex: String(parts[1]))
        else { return nil }
        self.head = KeptHead(sequence: sequence, chainHash: chainHash)
    }
}
