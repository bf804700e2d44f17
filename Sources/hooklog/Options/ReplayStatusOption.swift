import ArgumentParser
import HooklogCore

/// `--status failed|all` of `hooklog resend`: the API's `status`, with its default.
enum ReplayStatusOption: String, ExpressibleByArgument, CaseIterable {
    case failed
    case all

    /// The replay's filter.
    var filter: ReplayStatusFilter {
        switch self {
        case .failed: .failed
        case .all: .all
        }
    }
}
