/// The deliveries of a replay's window that its filters selected but it did not re-send, and why:
/// an operator reading "matched 3" after an outage should learn that 40 more are still retrying.
public struct ReplaySkips: Sendable, Equatable {
    /// Still waiting or in flight (for the `failed` filter: only those retrying after a failure,
    /// or being re-sent by a replay): they go out on their own schedule.
    public var unfinishedCount = 0
    /// To an endpoint that is disabled or deleted: re-sent, they would only be cancelled again.
    public var endpointDisabledCount = 0

    /// No skips.
    public init() {}

    /// Both counts added.
    public static func + (lhs: Self, rhs: Self) -> Self {
        var sum = lhs
        sum.unfinishedCount += rhs.unfinishedCount
        sum.endpointDisabledCount += rhs.endpointDisabledCount
        return sum
    }
}
