import Synchronization

/// A task's cancellation, as work on another thread reads it.
final class CancellationFlag: Sendable {
    private let value = Atomic(false)

    /// Whether `set` was called.
    var isSet: Bool { self.value.load(ordering: .acquiring) }

    func set() {
        self.value.store(true, ordering: .releasing)
    }
}
