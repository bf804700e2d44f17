/// Errors of the journal itself (LMDB's own arrive as `LMDBError`).
public struct JournalError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Internal: Equatable {
        case closed
    }

    private let value: Internal

    /// The journal was closed; nothing more is taken.
    public static var closed: Self { Self(value: .closed) }

    public var description: String {
        switch self.value {
        case .closed: "the journal is closed"
        }
    }
}
