/// Why a delivery ended without success.
public enum DeliveryFailureReason: String, Codable, Sendable, CaseIterable {
    /// Every attempt of the schedule failed.
    case exhausted
    /// The answer says that trying again cannot help (a 4xx where the profile does not retry them).
    case notRetryable
}
