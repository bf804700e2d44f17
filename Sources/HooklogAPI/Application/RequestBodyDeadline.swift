import NIOCore
import NIOHTTPTypes

/// Bounds by time how long a request's body may take to arrive, counted from its head.
///
/// `maxBodyBytes` bounds a body by size and the idle timeout a silent connection, but a client
/// that trickles a byte now and then would hold its connection, and its handler, for ever.
/// Past the deadline the request fails with `RequestBodyTimedOut`, which the handler reading the
/// body sees (and answers 408), or which ends the connection if nothing reads it.
///
/// Most bodies come in the same read as their head: the deadline is only set when a read ends
/// with a body still to come, so that the common request costs no timer.
final class RequestBodyDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let timeoutMs: Int64
    /// When the head of a request whose end has not come yet arrived.
    private var unfinishedSince: NIODeadline?
    private var deadline: Scheduled<Void>?

    /// A deadline `timeoutMs` after each request's head.
    init(timeoutMs: Int64) {
        self.timeoutMs = timeoutMs
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head:
            self.unfinishedSince = .now()
        case .end:
            self.unfinishedSince = nil
            self.cancelDeadline()
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if let unfinishedSince = self.unfinishedSince, self.deadline == nil {
            let loopBoundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
            let timeoutMs = self.timeoutMs
            self.deadline = context.eventLoop.scheduleTask(deadline: unfinishedSince + .milliseconds(timeoutMs)) {
                loopBoundContext.value.fireErrorCaught(RequestBodyTimedOut(timeoutMs: timeoutMs))
            }
        }
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.cancelDeadline()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.cancelDeadline()
    }

    private func cancelDeadline() {
        self.deadline?.cancel()
        self.deadline = nil
    }
}

/// A request's body did not arrive within `timeoutMs` of its head.
struct RequestBodyTimedOut: Error {
    let timeoutMs: Int64
}
