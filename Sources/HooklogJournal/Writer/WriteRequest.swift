/// One caller's work for the writer thread.
struct WriteRequest: Sendable {
    /// Runs the work in the batch's transaction; returns what to do once the batch is durable.
    /// May run more than once if the batch is replayed.
    let run: @Sendable (inout LogWriter) throws -> @Sendable () -> Void
    /// Tells the caller that its work did not land.
    let fail: @Sendable (any Error) -> Void
}
