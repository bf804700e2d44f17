/// Why bytes could not be read as a record (or as a projection value, which uses the same
/// primitives): never a crash, never a huge allocation.
public struct RecordDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Reason: Sendable, Equatable {
        case unsupportedVersion
        case unknownKind
        case truncated
        case trailingBytes
        case invalidUTF8
        case invalidValue
    }

    private let reason: Reason
    /// Where in the bytes the problem was found.
    public let offset: Int
    /// What exactly was wrong, for logs.
    public let detail: String

    private init(_ reason: Reason, offset: Int = 0, detail: String = "") {
        self.reason = reason
        self.offset = offset
        self.detail = detail
    }

    /// The version byte names a format this build cannot read.
    public static var unsupportedVersion: Self { Self(.unsupportedVersion) }
    /// The kind tag names no record (or value) this build knows.
    public static var unknownKind: Self { Self(.unknownKind) }
    /// The bytes end before the value does, or a length or count points past their end.
    public static var truncated: Self { Self(.truncated) }
    /// Bytes remain after a complete value.
    public static var trailingBytes: Self { Self(.trailingBytes) }
    /// A string is not valid UTF-8.
    public static var invalidUTF8: Self { Self(.invalidUTF8) }
    /// A field holds a value it cannot have (an unknown enum tag, a presence byte other than 0 or
    /// 1, a varint that is too long or not minimal, a field beyond its limit).
    public static var invalidValue: Self { Self(.invalidValue) }

    static func unsupportedVersion(_ version: UInt8, offset: Int) -> Self {
        Self(.unsupportedVersion, offset: offset, detail: "version \(version)")
    }

    static func unknownKind(_ tag: UInt8, offset: Int) -> Self {
        Self(.unknownKind, offset: offset, detail: "tag \(tag)")
    }

    static func truncated(offset: Int, needed: Int) -> Self {
        Self(.truncated, offset: offset, detail: "\(needed) more bytes needed")
    }

    static func trailingBytes(offset: Int, count: Int) -> Self {
        Self(.trailingBytes, offset: offset, detail: "\(count) bytes left over")
    }

    static func invalidUTF8(offset: Int) -> Self {
        Self(.invalidUTF8, offset: offset)
    }

    static func invalidValue(offset: Int, _ detail: String) -> Self {
        Self(.invalidValue, offset: offset, detail: detail)
    }

    /// Errors are equal when they have the same reason, wherever they were found.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.reason == rhs.reason
    }

    /// The reason and the detail, for logs.
    public var description: String {
        "RecordDecodingError.\(self.reason) at byte \(self.offset)" + (self.detail.isEmpty ? "" : ": \(self.detail)")
    }
}
