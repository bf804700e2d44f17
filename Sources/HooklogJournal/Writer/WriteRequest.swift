/// One caller's work for the writer thread.
///
/// A reference, so that a request costs one object on the hot path rather than a closure per step.
protocol WriteRequest: AnyObject, Sendable {
    /// Runs the work in the batch's transaction. May run more than once if the batch is replayed;
    /// only the last run's result is kept.
    func run(_ writer: inout LogWriter) throws
    /// Tells the caller that its work is durable, with what its last run returned.
    func succeed()
    /// Tells the caller that its work did not land.
    func fail(_ error: any Error)
}

/// A request whose caller awaits a `Result`.
final class ContinuationWriteRequest<Result: Sendable>: WriteRequest, @unchecked Sendable {
    // @unchecked: `result` is written and read only on the writer thread, before `succeed`.
    private let body: @Sendable (inout LogWriter) throws -> Result
    private let continuation: UnsafeContinuation<Result, any Error>
    private var result: Result?

    init(body: @escaping @Sendable (inout LogWriter) throws -> Result, continuation: UnsafeContinuation<Result, any Error>) {
        self.body = body
        self.continuation = continuation
    }

    func run(_ writer: inout LogWriter) throws {
        self.result = try self.body(&writer)
    }

    func succeed() {
        guard let result = self.result else {
            preconditionFailure("a write request succeeded without having run")
        }
        self.continuation.resume(returning: result)
    }

    func fail(_ error: any Error) {
        self.continuation.resume(throwing: error)
    }
}
