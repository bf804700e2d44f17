import HooklogCore

extension EventRoutes {
    /// What the ingest route checks in a body `{type, data, metadata?, call_id?, occurred_at?,
    /// webhook_url?}`, read straight from the request's bytes (which are journaled verbatim).
    ///
    /// The scan is the one deliveries use to splice `data` and `metadata`, so a body accepted here
    /// is one every delivery can carry; a repeated key means its last member there as here.
    /// Malformed JSON, or JSON that is not an object, is a 400; a member of the wrong kind is a 422
    /// naming it; `null` counts as absent. Members are checked in a fixed order (the order above),
    /// so a body with several faults is always told about the same one.
    struct IngestBody {
        /// `type`.
        let type: String?
        /// Whether `data` is an object (it must be).
        let hasData: Bool
        /// `call_id`.
        let callId: String?
        /// `occurred_at`, unchecked.
        let occurredAt: String?
        /// `webhook_url`, unchecked.
        let webhookURL: String?

        /// Reads `rawBody`.
        init(parsing rawBody: [UInt8]) throws(APIError) {
            guard !rawBody.isEmpty else { throw .malformedJSON("the request body is empty; send a JSON object") }
            let members: JSONObjectMembers
            do {
                members = try JSONObjectMembers(rawBody)
            } catch {
                throw Self.apiError(error)
            }
            self.type = try Self.string("type", of: members)
            self.hasData = try Self.hasObject("data", in: members)
            _ = try Self.hasObject("metadata", in: members)
            self.callId = try Self.string("call_id", of: members)
            self.occurredAt = try Self.string("occurred_at", of: members)
            self.webhookURL = try Self.string("webhook_url", of: members)
        }

        /// The text of the member `key`: `nil` when absent or `null`, a 422 when not a string.
        private static func string(_ key: String, of members: JSONObjectMembers) throws(APIError) -> String? {
            switch members.kind(of: key) {
            case nil, .null?:
                return nil
            case .string?:
                do {
                    return try members.string(key)
                } catch {
                    throw Self.apiError(error)
                }
            default:
                throw .invalidField("\(key) must be a string")
            }
        }

        /// Whether the member `key` is an object: `false` when absent or `null`, a 422 when another kind.
        private static func hasObject(_ key: String, in members: JSONObjectMembers) throws(APIError) -> Bool {
            switch members.kind(of: key) {
            case nil, .null?: return false
            case .object?: return true
            default: throw .invalidField("\(key) must be a JSON object")
            }
        }

        private static func apiError(_ failure: JSONObjectMembers.Failure) -> APIError {
            switch failure {
            case .malformed: .malformedJSON("the request body is not valid JSON")
            case .notAnObject: .malformedJSON("the request body must be a JSON object")
            }
        }
    }
}
