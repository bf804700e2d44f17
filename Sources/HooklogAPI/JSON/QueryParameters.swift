import Hummingbird

/// A request's query parameters, checked against those its route takes: one it does not take,
/// or one given twice, is refused (400) rather than ignored, as a misspelled filter
/// (`statuss=failed`) would answer unfiltered, and a repeated one by its first value only.
struct QueryParameters {
    private var values: [Substring: Substring] = [:]

    /// The parameters of `request`, which may be only those `names` lists, each at most once.
    init(_ request: Request, taking names: [String]) throws {
        for (name, value) in request.uri.queryParameters {
            guard names.contains(where: { $0 == name }) else {
                let taken = names.isEmpty ? "none" : names.joined(separator: ", ")
                throw APIError.invalidParameter("\(name) is not a parameter of this route, which takes \(taken)")
            }
            guard self.values.updateValue(value, forKey: name) == nil else {
                throw APIError.invalidParameter("\(name) is given more than once")
            }
        }
    }

    /// Refuses any query parameter on a route that takes none: `POST /v1/replays?tenant_id=…`
    /// would otherwise replay every tenant's window.
    static func refuseAny(in request: Request) throws {
        _ = try QueryParameters(request, taking: [])
    }

    /// The value of parameter `name`, if given.
    subscript(_ name: String) -> Substring? {
        self.values[Substring(name)]
    }
}
