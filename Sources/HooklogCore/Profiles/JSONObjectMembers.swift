/// The top-level members of one JSON object, found in one validating scan of its bytes, for a
/// caller that reads a few members and keeps the bytes as they are (the ingest route reads an
/// event body's `type`, `data`, … and journals the body verbatim).
///
/// A key that appears more than once means its last member, as `EventBodyMembers` reads it for
/// delivery, so that what is checked is what is delivered.
public struct JSONObjectMembers: Sendable {
    /// What a member's value is.
    public enum Kind: Sendable, Equatable {
        case object, array, string, number, bool, null
    }

    /// Why bytes are not read as a JSON object.
    public enum Failure: Error, Sendable, Equatable {
        /// Not exactly one JSON value (surrounding whitespace allowed), or a string that must be read
        /// as text names none (an escaped lone surrogate, bytes that are not UTF-8): why, and the
        /// offset of the first byte that shows it.
        case malformed(reason: String, offset: Int)
        /// One JSON value, but not an object.
        case notAnObject
    }

    /// The object's bytes.
    public let bytes: [UInt8]
    private let members: [JSONScanner.Member]

    /// Scans `bytes`, which must hold exactly one JSON object; when `interoperableOnly`, one
    /// that strict parsers take too (I-JSON, RFC 7493: no escaped lone surrogate, no number past
    /// a double's range), as what is taken in must be.
    public init(_ bytes: [UInt8], interoperableOnly: Bool = false) throws(Failure) {
        let members: [JSONScanner.Member]?
        do {
            members = try JSONScanner.objectMembers(of: bytes, interoperableOnly: interoperableOnly)
        } catch {
            throw .malformed(reason: error.reason, offset: error.offset)
        }
        guard let members else { throw .notAnObject }
        self.bytes = bytes
        self.members = members
    }

    /// The members' keys, in the order they appear (a repeated key as often as it appears).
    public var keys: [String] {
        self.members.map(\.key)
    }

    /// The range in `bytes` of the value of the member called `key`; `nil` when there is none.
    public func valueRange(of key: String) -> Range<Int>? {
        self.members.last(where: { $0.key == key })?.valueRange
    }

    /// The bytes of the value of the member called `key`, verbatim; `nil` when there is none.
    public func value(of key: String) -> [UInt8]? {
        self.valueRange(of: key).map { Array(self.bytes[$0]) }
    }

    /// The kind of the value of the member called `key`; `nil` when there is none.
    public func kind(of key: String) -> Kind? {
        guard let range = self.valueRange(of: key) else { return nil }
        switch self.bytes[range.lowerBound] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        default: return .number
        }
    }

    /// The text of the member called `key`; `nil` when there is none or its value is not a string.
    /// A string that names no exact text (an escaped lone surrogate, bytes that are not UTF-8) is
    /// `malformed`: the text is never repaired.
    public func string(_ key: String) throws(Failure) -> String? {
        guard let range = self.valueRange(of: key), self.bytes[range.lowerBound] == UInt8(ascii: "\"") else { return nil }
        do {
            return try JSONScanner.text(of: self.bytes, at: range)
        } catch {
            throw .malformed(reason: error.reason, offset: error.offset)
        }
    }
}
