/// What an identifier names; its `prefix` is what the identifier's text starts with.
///
/// The kinds are caseless enums in `IDKinds`: they exist only to keep, say, an endpoint id and
/// a delivery id from being mixed up at compile time.
public protocol IDKind: Sendable {
    /// The text before the underscore, e.g. `evt`.
    static var prefix: String { get }
}
