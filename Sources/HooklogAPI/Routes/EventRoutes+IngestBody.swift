import HooklogCore

extension EventRoutes {
    /// What the ingest route checks in a body `{type, data, metadata?, call_id?, occurred_at?,
    /// webhook_url?}`, read straight from the request's bytes (which are journaled verbatim).
    ///
    /// The scan is the one deliveries use to splice `data` and `metadata`, so a body accepted here
    /// is one every delivery can carry; a key repeated inside `data` means its last member there as here.
    /// Malformed JSON, or JSON that is not an object, is a 400; a member of the wrong kind is a 422
    /// naming it, and so is a member of another name (a misspelt `webhook_url` would otherwise
    /// leave its delivery out unseen) or one given twice; `null` counts as absent. Members are checked in a fixed
    /// order (another name first, then the order above), so a body with several faults is always
    /// told about the same one.
    struct IngestBody {
        /// The members a body may have, in the order they are checked.
        static let memberNames = ["type", "data", "metadata", "call_id", "occurred_at", "webhook_url"]

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
            let members = try JSONObjectMembers(requestBody: rawBody)
            let keys = members.keys
            if let unknown = keys.filter({ !Self.memberNames.contains($0) }).sorted().first {
                throw .unknownMember(unknown, taken: Self.memberNames.joined(separator: ", "))
            }
            // The body is kept as it came, and a parser reading it may take a repeated member's
            // first value where Hooklog takes the last (I-JSON, RFC 7493, forbids repeats).
            var seen = Set<String>()
            if let repeated = keys.first(where: { !seen.insert($0).inserted }) {
                throw .invalidField("\(APIError.quoted(repeated)) is given more than once; give each member once")
            }
            self.type = try members.text("type")
            self.hasData = try members.objectBytes("data") != nil
            _ = try members.objectBytes("metadata")
            self.callId = try members.text("call_id")
            self.occurredAt = try members.text("occurred_at")
            self.webhookURL = try members.text("webhook_url")
        }
    }
}
