import AsyncHTTPClient
import HooklogCore
import NIOCore
import NIOHTTP1

/// Keeps an answer's status and the first bytes of its body, reading (and dropping) the rest up
/// to a bound, so that the connection can serve the next attempt.
final class ResponseCollector: HTTPClientResponseDelegate, @unchecked Sendable {
    // @unchecked: AsyncHTTPClient calls a delegate on one event loop, one call at a time, and the
    // sender reads `answer` only after the request's future has completed.

    /// What an endpoint answered.
    struct Answer: Sendable {
        var statusCode = 0
        var excerpt: [UInt8] = []
        /// A 429's or a 503's `Retry-After`.
        var retryAfter: RetryAfter?
    }

    /// The body went past `bodyLimitBytes`: the answer so far is all that is kept.
    struct BodyTooLong: Error {}

    private(set) var answer = Answer()
    private var readBytes = 0
    private let keepingBytes: Int
    private let bodyLimitBytes: Int

    /// Keeps `keepingBytes` of the body, and reads no more than `max(1 MiB, keepingBytes)`.
    init(keepingBytes: Int) {
        self.keepingBytes = keepingBytes
        self.bodyLimitBytes = max(1 << 20, keepingBytes)
    }

    func didReceiveHead(task: HTTPClient.Task<Answer>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        self.answer.statusCode = Int(head.status.code)
        // The statuses RFC 9110 and RFC 6585 give it to; elsewhere it means nothing for a retry.
        if head.status == .tooManyRequests || head.status == .serviceUnavailable, let value = head.headers.first(name: "Retry-After") {
            self.answer.retryAfter = RetryAfter(headerValue: value)
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Answer>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        if self.answer.excerpt.count < self.keepingBytes {
            self.answer.excerpt += buffer.readableBytesView.prefix(self.keepingBytes - self.answer.excerpt.count)
        }
        self.readBytes += buffer.readableBytes
        guard self.readBytes <= self.bodyLimitBytes else {
            return task.eventLoop.makeFailedFuture(BodyTooLong())
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didFinishRequest(task: HTTPClient.Task<Answer>) throws -> Answer {
        self.answer
    }
}
