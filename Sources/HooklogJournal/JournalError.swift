/// Errors of the journal itself (LMDB's own arrive as `LMDBError`).
public struct JournalError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Internal: Equatable {
        case closed
        case failed(String)
    }

    private let value: Internal

    /// The journal was closed; nothing more is taken.
    public static var closed: Self { Self(value: .closed) }

    /// The journal failed for good (`cause`) and takes no more writes; a restart recovers it.
    public static func failed(_ cause: any Error) -> Self { Self(value: .failed("\(cause)")) }

    public var description: String {
        switch self.value {
        case .closed: "the journal is closed"
        case .failed(let cause): "the journal failed and takes no more writes until Hooklog restarts: \(cause)"
        }
    }
}
