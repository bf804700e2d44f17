/// The projections name something the log does not hold (an idempotency entry naming a record
/// that did not do what it says, a delivery whose event or tenant is missing): damaged
/// projections, which `hooklog rebuild --check` finds and `hooklog rebuild` mends.
struct ProjectionsDisagreeWithLog: Error, CustomStringConvertible {
    let description: String
}
