/// One HTTP header of an outgoing request, in the order it is sent.
public struct WireHeader: Hashable, Sendable, CustomStringConvertible {
    /// The header name, spelled as the receiver's documentation spells it.
    public var name: String
    /// The header value.
    public var value: String

    /// A header named `name` with `value`.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// `Name: value`, as on the wire, except that an `Authorization` value is redacted (it carries a token).
    public var description: String {
        self.name.lowercased() == "authorization" ? "\(self.name): <redacted>" : "\(self.name): \(self.value)"
    }
}
