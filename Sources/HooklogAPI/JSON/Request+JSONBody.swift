import Foundation
import Hummingbird

extension Request {
    /// The whole body, refused with 413 past `limitBytes` (by its `Content-Length` before reading).
    func collectBody(limitBytes: Int) async throws -> [UInt8] {
        if let length = self.headers.value(of: .contentLength).flatMap({ Int($0) }), length > limitBytes {
            throw APIError.payloadTooLarge(limitBytes: limitBytes)
        }
        var bytes: [UInt8] = []
        for try await chunk in self.body {
            guard bytes.count + chunk.readableBytes <= limitBytes else { throw APIError.payloadTooLarge(limitBytes: limitBytes) }
            bytes += chunk.readableBytesView
        }
        return bytes
    }

    /// Refuses a body on a route that takes none. Nothing, or an empty JSON object (what many
    /// clients send with any POST), passes; a member is a 422 that names it, never ignored: a
    /// `grace_period` sent to `rotate_secret` must not seem heeded. Called once the key's right
    /// to the route is checked: a key without it gets its 403 whatever it sent.
    func refuseBody(limitBytes: Int) async throws {
        let bytes = try await self.collectBody(limitBytes: limitBytes)
        if !bytes.isEmpty { try JSONBody.refuseMembers(in: bytes) }
    }
}

/// A request body of the API's own (never an event's payload): its `CodingKeys` name every
/// member it takes, and `JSONBody.decode` refuses any other with a 422, so that a misspelled
/// member (a replay's `event_type`, an endpoint's `enabled_event`) is not ignored and the request
/// done wider than meant.
protocol RequestBody: Decodable {
    associatedtype CodingKeys: CodingKey & CaseIterable
}

/// Decodes request bodies: malformed JSON (or not an object) is a 400, well-formed JSON with a
/// missing, mistyped or unknown member a 422 that names it.
enum JSONBody {
    /// Decodes `bytes` as `Body`.
    static func decode<Body: RequestBody>(_ type: Body.Type, from bytes: [UInt8]) throws -> Body {
        guard !bytes.isEmpty else { throw APIError.malformedJSON("the request body is empty; send a JSON object") }
        let data = Data(bytes)
        let decoder = JSONDecoder()
        do {
            // Unknown members first: a misspelled one is likelier the cause than what it leaves missing.
            let names = try decoder.decode(MemberNames.self, from: data).names
            if let unknown = names.filter({ Body.CodingKeys(stringValue: $0) == nil }).sorted().first {
                let known = Body.CodingKeys.allCases.map(\.stringValue).joined(separator: ", ")
                throw APIError.unknownMember(unknown, taken: known)
            }
            do {
                return try decoder.decode(Body.self, from: data)
            } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
                // The body read as JSON just above: Foundation's decoder says this of a member's
                // number that an integer cannot hold (2500.5, 1e30), naming no member.
                throw APIError.invalidField("a number where this request takes an integer is not a whole number within its range")
            }
        } catch let error as DecodingError {
            throw Self.apiError(error)
        }
    }

    /// Refuses `bytes` unless they are an empty JSON object.
    static func refuseMembers(in bytes: [UInt8]) throws {
        let names: [String]
        do {
            names = try JSONDecoder().decode(MemberNames.self, from: Data(bytes)).names
        } catch let error as DecodingError {
            throw Self.apiError(error)
        }
        if let member = names.sorted().first {
            throw APIError.unknownMember(member, taken: "it takes none")
        }
    }

    private static func apiError(_ error: DecodingError) -> APIError {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return .malformedJSON("the request body is not valid JSON")
        case .typeMismatch(_, let context) where context.codingPath.isEmpty,
            .valueNotFound(_, let context) where context.codingPath.isEmpty:  // a body of `null`
            return .malformedJSON("the request body must be a JSON object")
        case .keyNotFound(let key, let context):
            return .invalidField("\(Self.path(context.codingPath + [key])) is required")
        case .valueNotFound(_, let context):
            return .invalidField("\(Self.path(context.codingPath)) must not be null")
        case .typeMismatch(let type, let context):
            return .invalidField("\(Self.path(context.codingPath)) must be \(Self.describe(type))")
        case .dataCorrupted(let context):
            return .invalidField("\(Self.path(context.codingPath)): \(context.debugDescription)")
        @unknown default:
            return .malformedJSON("the request body could not be read")
        }
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.enumerated().map { index, key in
            key.intValue.map { "[\($0)]" } ?? (index == 0 ? "" : ".") + key.stringValue
        }.joined()
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Int64.Type, is UInt64.Type: "an integer"
        case is [String].Type: "an array of strings"
        // What the decoder reports for any array it expected (`enabled_events`, `event_types`).
        case is [Any].Type: "an array"
        // A `JSONObjectShape` member of another kind is reported as the decoder's own object type.
        case is JSONObjectShape.Type, is [String: Any].Type: "a JSON object"
        default: "of another type"
        }
    }
}

/// Any member name, to see which members an object has.
private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// The names of an object's members.
private struct MemberNames: Decodable {
    let names: [String]

    init(from decoder: any Decoder) throws {
        self.names = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
    }
}

/// Checks that a member is a JSON object without reading its contents (`data`, `metadata`).
struct JSONObjectShape: Decodable, Sendable {
    init(from decoder: any Decoder) throws {
        _ = try decoder.container(keyedBy: AnyKey.self)
    }
}

/// A member that may be absent (keep), `null` (clear) or a value (set), as a PATCH says.
enum Patch<Value: Decodable & Sendable>: Sendable {
    case absent
    case null
    case value(Value)
}

extension KeyedDecodingContainer {
    /// Reads a member that may be absent but not `null`: a PATCH field that cannot be cleared.
    func decodeUnlessNull<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value? {
        guard self.contains(key) else { return nil }
        if try self.decodeNil(forKey: key) {
            throw DecodingError.valueNotFound(Value.self, DecodingError.Context(codingPath: self.codingPath + [key], debugDescription: "null"))
        }
        return try self.decode(Value.self, forKey: key)
    }

    /// Reads a member as a PATCH field.
    func decodePatch<Value: Decodable & Sendable>(_ type: Value.Type, forKey key: Key) throws -> Patch<Value> {
        guard self.contains(key) else { return .absent }
        if try self.decodeNil(forKey: key) { return .null }
        return .value(try self.decode(Value.self, forKey: key))
    }
}
