/// Why a profile could not be decoded or an event not rendered with it.
public struct ProfileError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Internal: Hashable, Sendable {
        case invalidProfile(String)
        case invalidData(String)
        case invalidMetadata(String)
        case instantOutOfRange(Int64)
        case invalidHeaderValue(String)
    }

    private let value: Internal

    private init(_ value: Internal) {
        self.value = value
    }

    /// The profile file is not valid JSON or not a well-formed profile.
    public static func invalidProfile(_ reason: String) -> Self { Self(.invalidProfile(reason)) }
    /// The event's data is not JSON, or not an object where the profile needs its members.
    public static func invalidData(_ reason: String) -> Self { Self(.invalidData(reason)) }
    /// The event's metadata is not JSON, or not an object where the profile needs its members.
    public static func invalidMetadata(_ reason: String) -> Self { Self(.invalidMetadata(reason)) }
    /// An instant cannot be written as RFC 3339 (its year is outside 0000–9999).
    public static func instantOutOfRange(_ instantMs: Int64) -> Self { Self(.instantOutOfRange(instantMs)) }
    /// A header value would hold a control character (CR, LF, …), which HTTP forbids.
    public static func invalidHeaderValue(_ headerName: String) -> Self { Self(.invalidHeaderValue(headerName)) }

    /// A sentence for logs and error responses (never a secret).
    public var description: String {
        switch self.value {
        case .invalidProfile(let reason): "invalid wire profile: \(reason)"
        case .invalidData(let reason): "the event's data cannot be rendered: \(reason)"
        case .invalidMetadata(let reason): "the event's metadata cannot be rendered: \(reason)"
        case .instantOutOfRange(let instantMs): "the instant \(instantMs) ms is outside the years 0000–9999"
        case .invalidHeaderValue(let name): "the value of header \(name) holds a control character"
        }
    }
}
