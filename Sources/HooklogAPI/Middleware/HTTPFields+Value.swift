public import HTTPTypes

extension HTTPFields {
    /// The value of the field `name`, several such fields joined by ", ": what `self[name]` gives for
    /// any field but `Cookie`.
    ///
    /// `self[name]` joins through a lazy generic sequence whose type metadata the runtime looks up on
    /// every call; the request path reads three fields per request.
    func value(of name: HTTPField.Name) -> String? {
        var value: String?
        for field in self where field.name == name {
            value = value.map { $0 + ", " + field.value } ?? field.value
        }
        return value
    }
}
