import Synchronization

/// Hands out the given times in order, then repeats the last.
final class SteppingClock: Sendable {
    private let state: Mutex<[UInt64]>

    init(times: [UInt64]) {
        self.state = Mutex(times)
    }

    func next() -> UInt64 {
        self.state.withLock { times in
            times.count > 1 ? times.removeFirst() : times[0]
        }
    }
}

/// A thread-safe counter.
final class Counter: Sendable {
    private let count = Mutex(0)

    func increment() { self.count.withLock { $0 += 1 } }
    var value: Int { self.count.withLock { $0 } }
}
