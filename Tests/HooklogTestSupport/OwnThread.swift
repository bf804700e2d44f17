import Foundation

/// Runs heavy synchronous work on a thread of its own, so that it never occupies one of the few
/// threads of Swift's concurrency pool that parallel tests share.
public enum OwnThread {
    /// The result of `body`, computed on a new thread.
    public static func run<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Swift.Result { try body() }) }
        }
    }
}
