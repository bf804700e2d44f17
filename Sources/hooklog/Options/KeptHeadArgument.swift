import ArgumentParser
import HooklogJournal

/// `--head sequence:hash` of `hooklog verify`: a head noted down from an earlier `verify` (its
/// last line gives it so) or from an export's manifest (`head_sequence`, `chain_head`).
struct KeptHeadArgument: ExpressibleByArgument, Sendable {
    let head: KeptHead

    init?(argument: String) {
        let parts = argument.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let sequence = UInt64(parts[0]), let head = KeptHead(sequence: sequence, hex: parts[1]) else { return nil }
        self.head = head
    }
}
