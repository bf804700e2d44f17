/// Profiles are files an operator writes by hand: a key this build does not know (a typo,
/// `midcall` for `midCall`) is refused when the file loads rather than left out without a word,
/// which would send another envelope or scheme than the one meant.
enum ProfileKeys {
    /// Throws `ProfileError.invalidProfile` naming the first key of `decoder`'s object that is
    /// not one of `known`'s; `what` says where (`"a header"`).
    static func refuseUnknown<Known: CodingKey & CaseIterable>(_ known: Known.Type, in decoder: any Decoder, what: String) throws {
        let knownNames = Set(Known.allCases.map(\.stringValue))
        let container = try decoder.container(keyedBy: AnyKey.self)
        if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !knownNames.contains($0) }) {
            let lowercased = unknown.lowercased()
            let suggestion = knownNames.first { $0.lowercased() == lowercased }.map { " (did you mean \($0)?)" } ?? ""
            throw ProfileError.invalidProfile("\(what) has the unknown key \"\(unknown)\"\(suggestion)")
        }
    }

    private struct AnyKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }

        init(stringValue: String) {
            self.stringValue = stringValue
        }

        init?(intValue: Int) {
            nil
        }
    }
}
