import ArgumentParser
import HooklogCore

/// `--status failed|all` of `hooklog resend`: the API's `status`, named and defaulted as it is.
struct ReplayStatusOption: ExpressibleByArgument {
    let filter: ReplayStatusFilter

    static let byDefault = ReplayStatusOption(filter: .byDefault)

    private init(filter: ReplayStatusFilter) {
        self.filter = filter
    }

    init?(argument: String) {
        guard let filter = ReplayStatusFilter(name: argument) else { return nil }
        self.filter = filter
    }

    static var allValueStrings: [String] { ReplayStatusFilter.allCases.map(\.name) }

    var defaultValueDescription: String { self.filter.name }
}
