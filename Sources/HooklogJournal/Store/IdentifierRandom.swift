#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The random bits of new identifiers: the kernel's CSPRNG, the source `SystemRandomNumberGenerator`
/// reads (`getrandom(2)` on Linux), fetched a block at a time.
///
/// `SystemRandomNumberGenerator` makes one `getrandom` call per 64 bits, and on the Firecracker VMs we
/// run on a call costs about 0.8 µs however few bytes it returns: an identifier (80 random bits) took
/// two. Here one call fetches 256 bytes, 16 identifiers' worth (about 2 µs). The bits are the
/// kernel's, unchanged, and each is handed out exactly once, so identifiers stay as unpredictable as
/// before. Secrets (API keys, signing secrets) do not come from here but straight from the kernel.
public struct IdentifierRandom: RandomNumberGenerator {
    /// A generator drawing from the process's pool.
    public init() {}

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        IdentifierRandomPool.shared.next()
    }
}

/// The block of kernel random bytes that `IdentifierRandom` hands out, refilled when used up.
final class IdentifierRandomPool: Sendable {
    static let shared = IdentifierRandomPool()

    /// 64-bit words per refill: 256 bytes, the most `getentropy` gives in one call.
    static let wordCount = 32

    private struct Block {
        var words = [UInt64](repeating: 0, count: IdentifierRandomPool.wordCount)
        /// The next word to hand out; `wordCount` when all are used.
        var nextIndex = IdentifierRandomPool.wordCount
    }

    private let block = Mutex(Block())

    func next() -> UInt64 {
        self.block.withLock { block in
            if block.nextIndex == Self.wordCount {
                block.words.withUnsafeMutableBytes { Self.fill($0) }
                block.nextIndex = 0
            }
            defer { block.nextIndex += 1 }
            return block.words[block.nextIndex]
        }
    }

    /// Fills `buffer` (at most 256 bytes) from the kernel's CSPRNG with `getentropy(3)`, one
    /// `getrandom` on Linux; a failure is fatal, as in `SystemRandomNumberGenerator`.
    private static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        let result = getentropy(buffer.baseAddress!, buffer.count)
        precondition(result == 0, "getentropy failed: errno \(errno)")
    }
}
