#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// LMDB's default key order, which every projection table uses: bytewise, a prefix first.
public enum ByteOrder {
    /// Whether `left` sorts before `right`.
    public static func precedes(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        left.withUnsafeBytes { leftBytes in
            right.withUnsafeBytes { rightBytes in
                Self.precedes(leftBytes, rightBytes)
            }
        }
    }

    /// Whether `left` sorts before `right`.
    public static func precedes(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> Bool {
        let common = min(left.count, right.count)
        let order = common == 0 ? 0 : memcmp(left.baseAddress!, right.baseAddress!, common)
        return order < 0 || (order == 0 && left.count < right.count)
    }
}
