import HooklogCore

extension JSONObjectMembers {
    /// The members of a request body, read as deliveries will read them (a repeated key means its
    /// last member): a 400 when the body is not one JSON object of valid UTF-8 that strict
    /// parsers take too (no escaped lone surrogate, no number past a double's range).
    ///
    /// Every route that keeps a member's bytes verbatim (an event's `data` and `metadata`, an
    /// endpoint's `metadata`, an invocation's `params`) reads them through this, so that what is
    /// checked is exactly what is kept.
    init(requestBody body: [UInt8]) throws(APIError) {
        // Keys and skipped values are scanned as bytes: their UTF-8 is checked here, once.
        guard UTF8Text.isValid(body) else {
            throw .malformedJSON("the request body is not valid UTF-8")
        }
        do {
            try self.init(body, interoperableOnly: true)
        } catch {
            throw Self.apiError(error)
        }
    }

    /// The bytes of the member `key`: `nil` when absent or `null`, a 422 when not an object.
    func objectBytes(_ key: String) throws(APIError) -> [UInt8]? {
        switch self.kind(of: key) {
        case nil, .null?: return nil
        case .object?: return self.value(of: key)
        default: throw .invalidField("\(key) must be a JSON object")
        }
    }

    /// The text of the member `key`: `nil` when absent or `null`, a 422 when not a string.
    func text(_ key: String) throws(APIError) -> String? {
        switch self.kind(of: key) {
        case nil, .null?:
            return nil
        case .string?:
            do {
                return try self.string(key)
            } catch {
                throw Self.apiError(error)
            }
        default:
            throw .invalidField("\(key) must be a string")
        }
    }

    private static func apiError(_ failure: Failure) -> APIError {
        switch failure {
        case .malformed(let reason, let offset): .malformedJSON("the request body is not valid JSON: \(reason) at offset \(offset)")
        case .notAnObject: .malformedJSON("the request body must be a JSON object")
        }
    }
}
