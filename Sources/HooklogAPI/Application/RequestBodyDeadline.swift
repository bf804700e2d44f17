import NIOCore
import NIOHTTPTypes

/// Bounds by time how long a request's body may take to arrive, counted from its head.
///
/// `maxBodyBytes` bounds a body by size and the idle timeout a silent connection, but a client
/// that trickles a byte now and then would hold its connection, and its handler, for ever.
/// Past the deadline the request fails with `RequestBodyTimedOut`, which the handler reading the
/// body sees (and answers 408), or which ends the connection if nothing reads it.
final class RequestBodyDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let timeoutMs: Int64
    private var deadline: Scheduled<Void>?

    /// A deadline `timeoutMs` after each request's head.
    init(timeoutMs: Int64) {
        self.timeoutMs = timeoutMs
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head:
            let loopBoundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
            let timeoutMs = self.timeoutMs
            self.deadline = context.eventLoop.scheduleTask(in: .milliseconds(timeoutMs)) {
                loopBoundContext.value.fireErrorCaught(RequestBodyTimedOut(timeoutMs: timeoutMs))
            }
        case .end:
            self.deadline?.cancel()
            self.deadline = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.deadline?.cancel()
        self.deadline = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.deadline?.cancel()
        self.deadline = nil
    }
}

/// A request's body did not arrive within `timeoutMs` of its head.
struct RequestBodyTimedOut: Error {
    let timeoutMs: Int64
}
