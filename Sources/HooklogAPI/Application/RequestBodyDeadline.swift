import NIOCore
import NIOHTTPTypes

/// Bounds by time how long a request's body may take to arrive, counted from its head (or, for
/// a request pipelined behind one still being answered, from the end of that answer: until then
/// nobody reads it).
///
/// `maxBodyBytes` bounds a body by size and the idle timeout a silent connection, but a client
/// that trickles a byte now and then would hold its connection, and its handler, for ever.
/// Past the deadline the request fails with `RequestBodyTimedOut`, which the handler reading the
/// body sees (and answers 408), or which ends the connection if nothing reads it.
///
/// Most bodies come in the same read as their head: the deadline is only set when a read ends
/// with a body still to come, so that the common request costs no timer.
final class RequestBodyDeadline: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let timeoutMs: Int64
    /// Requests whose answer has not ended yet, the one being read included.
    private var answersOwed = 0
    /// Whether the newest request's body is still to come.
    private var isBodyComing = false
    /// When the clock of the request whose body is coming started; `nil` while it waits its turn.
    private var comingSince: NIODeadline?
    private var deadline: Scheduled<Void>?

    /// A deadline `timeoutMs` after each request's head.
    init(timeoutMs: Int64) {
        self.timeoutMs = timeoutMs
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head:
            self.answersOwed += 1
            self.isBodyComing = true
            self.comingSince = self.answersOwed == 1 ? .now() : nil
        case .end:
            self.isBodyComing = false
            self.comingSince = nil
            self.cancelDeadline()
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.scheduleDeadlineIfDue(context)
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = self.unwrapOutboundIn(data) {
            self.answersOwed = max(0, self.answersOwed - 1)
            // The pipelined request whose body is coming is now the one being read.
            if self.isBodyComing, self.comingSince == nil, self.answersOwed == 1 {
                self.comingSince = .now()
                self.scheduleDeadlineIfDue(context)
            }
        }
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.cancelDeadline()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.cancelDeadline()
    }

    private func scheduleDeadlineIfDue(_ context: ChannelHandlerContext) {
        guard self.isBodyComing, let comingSince = self.comingSince, self.deadline == nil else { return }
        let loopBoundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        let timeoutMs = self.timeoutMs
        self.deadline = context.eventLoop.scheduleTask(deadline: comingSince + .milliseconds(timeoutMs)) {
            loopBoundContext.value.fireErrorCaught(RequestBodyTimedOut(timeoutMs: timeoutMs))
        }
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
